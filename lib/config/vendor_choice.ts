/**
 * Which vendor a connector runs: the one `connector.vendor` (or
 * `CONNECTOR_VENDOR`) names, by registry name or alias, else the one vendor
 * section with an API key. A section whose key is still the sample
 * placeholder counts only when no other section has a real key, so the
 * placeholder is reported on the key's own env var rather than as a
 * missing vendor. The config loader and the `enrich` command both choose so.
 *
 * @module
 */

import { CONNECTOR_SECTION } from "./core_sections.ts";
import { PLACEHOLDERS } from "./_section.ts";
import { coerceValue, readRaw } from "./resolve.ts";
import { envName } from "./settings.ts";
import type { VendorConfigDescriptor } from "./types.ts";

/** Where the vendor of one connector is read from. */
export interface VendorChoiceSource {
  /** The connector's section, or its `connectors:` entry. */
  entry: Record<string, unknown> | undefined;
  /** The whole YAML document (its vendor sections). */
  yaml: Record<string, unknown>;
  /** Reads one env var. */
  env: (name: string) => string | undefined;
  /** True for a `connectors:` entry, which CONNECTOR_VENDOR does not set. */
  yamlOnly?: boolean;
}

/** The vendor chosen, or why none is: a config issue's message on `connector.vendor`. */
export type VendorChoice<T> = { vendor: T } | { vendor?: undefined; problem: string };

/** Finds a vendor by registry name or alias, case-insensitively. */
export function findVendor<T extends VendorConfigDescriptor>(
  vendors: readonly T[],
  name: string,
): T | undefined {
  const wanted = name.trim().toLowerCase();
  return vendors.find((vendor) =>
    vendor.name === wanted || vendor.aliases.some((alias) => alias.toLowerCase() === wanted)
  );
}

/** Chooses the vendor of one connector among `vendors` (see the module docs). */
export function chooseVendor<T extends VendorConfigDescriptor>(
  vendors: readonly T[],
  source: VendorChoiceSource,
): VendorChoice<T> {
  const { yaml, env } = source;
  const setting = CONNECTOR_SECTION.settings.vendor;
  const names = source.yamlOnly ? [] : [envName(CONNECTOR_SECTION.name, "vendor", setting)];
  const coerced = coerceValue(setting, readRaw(names, source.entry, "vendor", env)?.value);
  const known = vendors.map((vendor) => `"${vendor.name}"`).join(", ");
  if (coerced.kind === "invalid") return { problem: coerced.message };
  if (coerced.kind === "value") {
    const vendor = findVendor(vendors, String(coerced.value));
    return vendor
      ? { vendor }
      : { problem: `unknown vendor "${coerced.value}"; known vendors: ${known}` };
  }
  const keyed = vendors.filter((vendor) => apiKeyOf(vendor, yaml, env) !== undefined);
  const real = keyed.filter((vendor) => !PLACEHOLDERS.has(apiKeyOf(vendor, yaml, env)!));
  const only = keyed.length === 1 ? keyed[0] : real.length === 1 ? real[0] : undefined;
  if (only) return { vendor: only };
  const keyEnvs = vendors.map((vendor) => apiKeyEnv(vendor)).join(" or ");
  const why = keyed.length === 0
    ? `no vendor section has an API key (set ${keyEnvs})`
    : `several vendor sections have an API key (${keyed.map((v) => v.name).join(", ")})`;
  return { problem: `is required: ${why}; set it to one of ${known}` };
}

function apiKeyEnv(vendor: VendorConfigDescriptor): string {
  const setting = vendor.section.settings[vendor.apiKeySetting];
  return setting
    ? envName(vendor.section.name, vendor.apiKeySetting, setting)
    : `${vendor.section.name}_${vendor.apiKeySetting}`.toUpperCase();
}

function apiKeyOf(
  vendor: VendorConfigDescriptor,
  yaml: Record<string, unknown>,
  env: (name: string) => string | undefined,
): string | undefined {
  const setting = vendor.section.settings[vendor.apiKeySetting];
  if (!setting) return undefined;
  const section = yaml[vendor.section.name];
  const raw = readRaw(
    [envName(vendor.section.name, vendor.apiKeySetting, setting)],
    section && typeof section === "object" ? section as Record<string, unknown> : undefined,
    vendor.apiKeySetting,
    env,
  );
  return typeof raw?.value === "string" && raw.value.trim() !== "" ? raw.value.trim() : undefined;
}
