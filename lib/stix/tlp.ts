/**
 * Traffic Light Protocol levels: parsing, the fixed marking ids, the highest
 * level among an entity's markings and the max-TLP gate (opencti-protocol.md §5).
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
export const TLP_LEVELS: readonly TlpLevel[] = [
  "TLP:CLEAR",
  "TLP:WHITE",
  "TLP:GREEN",
  "TLP:AMBER",
  "TLP:AMBER+STRICT",
  "TLP:RED",
];

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

/** Reads a TLP definition such as `TLP:AMBER` (case and surrounding spaces ignored); anything else is `"unknown"`. */
export function parseTlp(definition: string): TlpLevel | "unknown" {
  const wanted = typeof definition === "string" ? definition.trim().toUpperCase() : "";
  return TLP_LEVELS.find((level) => level === wanted) ?? "unknown";
}

/** A marking as OpenCTI returns it; only TLP-typed ones matter here. */
export interface MarkingLike {
  /** `TLP`, `PAP`, `statement`…, compared case-insensitively. */
  definition_type?: string | null | undefined;
  /** E.g. `TLP:AMBER`. */
  definition?: string | null | undefined;
}

/**
 * Returns the highest TLP among the markings: non-TLP markings are ignored, a
 * TLP marking with an unreadable definition gives `"unknown"` (above RED), and
 * `null` means the entity has no TLP marking at all.
 */
export function highestTlp(markings: readonly MarkingLike[]): TlpLevel | "unknown" | null {
  let highest: TlpLevel | "unknown" | null = null;
  for (const marking of markings) {
    if (marking.definition_type?.trim().toLowerCase() !== "tlp") continue;
    const level = parseTlp(marking.definition ?? "");
    if (highest === null || RANK[level] > RANK[highest]) highest = level;
  }
  return highest;
}

/** The max-TLP gate: no TLP passes, `"unknown"` never does, otherwise the level must not exceed `max`. */
export function isTlpAllowed(tlp: TlpLevel | "unknown" | null, max: TlpLevel): boolean {
  if (tlp === null) return true;
  return RANK[tlp] <= RANK[max];
}
