/**
 * Traffic Light Protocol levels: parsing, the fixed marking ids, the highest
 * level's rank and the max-TLP gate with pycti's allowed sets
 * (`check_max_tlp` in client-python pycti/connector/opencti_connector_helper.py).
 *
 * @module
 */

/** A TLP level as OpenCTI spells it in a marking's `definition`. */
export type TlpLevel =
  | "TLP:CLEAR"
  | "TLP:WHITE"
  | "TLP:GREEN"
  | "TLP:AMBER"
  | "TLP:AMBER+STRICT"
  | "TLP:RED";

/** Every TLP level, lowest first (CLEAR and WHITE are the same level). */
export const TLP_LEVELS = [
  "TLP:CLEAR",
  "TLP:WHITE",
  "TLP:GREEN",
  "TLP:AMBER",
  "TLP:AMBER+STRICT",
  "TLP:RED",
] as const satisfies readonly TlpLevel[];

/** The fixed marking-definition id of each level; CLEAR and WHITE share one. */
export const TLP_MARKING_IDS: Readonly<Record<TlpLevel, string>> = {
  "TLP:CLEAR": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
  "TLP:WHITE": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
  "TLP:GREEN": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
  "TLP:AMBER": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
  "TLP:AMBER+STRICT": "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37",
  "TLP:RED": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
};

const RANK: Readonly<Record<TlpLevel | "unknown", number>> = {
  "TLP:CLEAR": 0,
  "TLP:WHITE": 0,
  "TLP:GREEN": 1,
  "TLP:AMBER": 2,
  "TLP:AMBER+STRICT": 3,
  "TLP:RED": 4,
  // An unreadable TLP is treated as stricter than RED, so no gate lets it through.
  "unknown": 5,
};

/** The level's rank, CLEAR = WHITE = 0 up to RED = 4; `"unknown"` ranks above RED. */
export function tlpRank(level: TlpLevel | "unknown"): number {
  return RANK[level];
}

/** Reads a TLP definition such as `TLP:AMBER` (case and surrounding spaces ignored); anything else is `"unknown"`. */
export function parseTlp(definition: string): TlpLevel | "unknown" {
  const wanted = typeof definition === "string" ? definition.trim().toUpperCase() : "";
  return TLP_LEVELS.find((level) => level === wanted) ?? "unknown";
}

/** The max-TLP gate: no TLP passes, `"unknown"` never does, otherwise the level must not exceed `max`. */
export function isTlpAllowed(tlp: TlpLevel | "unknown" | null, max: TlpLevel): boolean {
  if (tlp === null) return true;
  return RANK[tlp] <= RANK[max];
}
