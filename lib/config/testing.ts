/**
 * Vendor descriptors for the config tests: two vendors shaped like the real
 * ones, so the loader is tested without importing any vendor module; and
 * {@link issuesOf}, the issue lines of a refused config.
 *
 * @module
 */

import assert from "node:assert/strict";
import { ConfigError } from "../errors/mod.ts";
import {
  booleanSetting,
  defineSection,
  durationSetting,
  enumSetting,
  stringSetting,
  urlSetting,
} from "./settings.ts";
import { TLP_LEVELS } from "./core_sections.ts";
import type { VendorConfigDescriptor } from "./types.ts";

/** A vendor with a deprecated alias, like Silent Push. */
export const ALPHA_VENDOR: VendorConfigDescriptor = {
  name: "alpha",
  aliases: ["alpha-intel"],
  title: "Alpha Intel",
  slug: "alpha-enrichment",
  apiKeySetting: "api_key",
  section: defineSection("alpha", "The Alpha API.", {
    api_base_url: urlSetting({ description: "Base URL." }, "https://alpha.example/api/"),
    api_key: stringSetting({ description: "Key.", secret: true, required: true }),
    max_tlp: enumSetting(TLP_LEVELS, { description: "Max TLP." }, "TLP:AMBER"),
    max_tlp_level: enumSetting(TLP_LEVELS, {
      description: "Old name of max_tlp.",
      deprecatedAliasOf: "max_tlp",
    }),
    verify_cert: booleanSetting({ description: "Verify TLS." }, true),
  }),
  supportedTypes: ["IPv4-Addr", "IPv6-Addr", "Url"],
  defaults: { name: "Alpha", scope: ["IPv4-Addr"], auto: false },
};

/** A vendor with a duration setting, a section name with underscores and its max TLP under another key. */
export const BETA_VENDOR: VendorConfigDescriptor = {
  name: "beta",
  aliases: [],
  title: "Beta Intel",
  slug: "beta-intel",
  apiKeySetting: "api_key",
  maxTlpSetting: "tlp_ceiling",
  section: defineSection("beta_intel", "The Beta API.", {
    api_key: stringSetting({ description: "Key.", secret: true, required: true }),
    window: durationSetting({ description: "Window." }, "P30D"),
    tlp_ceiling: enumSetting(TLP_LEVELS, { description: "Max TLP." }, "TLP:AMBER+STRICT"),
  }),
  supportedTypes: ["Domain-Name", "StixFile"],
  defaults: { name: "Beta", scope: ["Domain-Name", "StixFile"], auto: true },
};

/** Both test vendors. */
export const TEST_VENDORS = [ALPHA_VENDOR, BETA_VENDOR] as const;

/** A connector id for tests. */
export const TEST_ID = "5a5a5a5a-0000-4000-8000-000000000005";

/** An env reader over a plain object. */
export function envFrom(values: Record<string, string>): (name: string) => string | undefined {
  return (name) => Object.hasOwn(values, name) ? values[name] : undefined;
}

/** The issue lines of the {@link ConfigError} `promise` rejects with (fails if it does not). */
export async function issuesOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message.split("\n").slice(1).map((line) => line.trim());
  }
  assert.fail("expected a ConfigError");
}
