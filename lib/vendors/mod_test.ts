import assert from "node:assert/strict";
import { UsageError } from "../errors/mod.ts";
import { vendorModule, VENDORS } from "./mod.ts";

Deno.test("each vendor has one registry name, and CONNECTOR_VENDOR still takes the old spellings", () => {
  assert.deepEqual(VENDORS.map((vendor) => vendor.name), ["silentpush", "proofpoint-et"]);
  const spellings: Record<string, string[]> = {
    "silentpush": ["silentpush", "Silent-Push", "silent_push", "silentpush-enrichment"],
    "proofpoint-et": [
      "proofpoint-et",
      "proofpoint_et",
      "proofpoint-et-intelligence",
      "PROOFPOINT_ET_INTELLIGENCE",
      "et-intelligence",
    ],
  };
  for (const [name, aliases] of Object.entries(spellings)) {
    for (const alias of aliases) assert.equal(vendorModule(` ${alias} `).name, name, alias);
  }
  assert.throws(() => vendorModule("proofpoint"), UsageError);
});

Deno.test("the vendors keep the pycti section names and take their own catalog slugs", () => {
  assert.deepEqual(
    VENDORS.map((vendor) => [vendor.section.name, vendor.slug, vendor.manifest.slug]),
    [
      ["silentpush", "opencti-enrich-silentpush", "opencti-enrich-silentpush"],
      [
        "proofpoint_et_intelligence",
        "opencti-enrich-proofpoint-et",
        "opencti-enrich-proofpoint-et",
      ],
    ],
  );
});
