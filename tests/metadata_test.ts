import assert from "node:assert/strict";
import { VENDORS } from "../lib/vendors/mod.ts";
import { formattedOutputs, metadataFiles } from "../tools/metadata.ts";

/** The keys `tests/tests_metadata/test_connector_manifest.py` of OpenCTI-Platform/connectors requires. */
const CATALOG_KEYS = [
  "title",
  "slug",
  "description",
  "short_description",
  "logo",
  "use_cases",
  "solution_categories",
  "contact",
  "license_type",
  "verified",
  "last_verified_date",
  "playbook_supported",
  "max_confidence_level",
  "support_version",
  "subscription_link",
  "source_code",
  "manager_supported",
  "container_version",
  "container_image",
  "container_type",
];

const root = new URL("../", import.meta.url);

Deno.test("the committed __metadata__ files and README table match the config schema (run `deno task metadata`)", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  for (const [path, expected] of await formattedOutputs(VENDORS, readme)) {
    let actual: string;
    try {
      actual = await Deno.readTextFile(new URL(path, root));
    } catch {
      assert.fail(`${path} is missing: run deno task metadata`);
    }
    assert.equal(actual, expected, `${path} is stale: run deno task metadata`);
  }
});

Deno.test("each vendor's catalog schema requires the OpenCTI URL, token and the vendor API key", () => {
  for (const [path, content] of metadataFiles(VENDORS)) {
    if (!path.endsWith("connector_config_schema.json")) continue;
    const schema = JSON.parse(content);
    const vendorKey = path.includes("silentpush")
      ? "SILENTPUSH_API_KEY"
      : "PROOFPOINT_ET_INTELLIGENCE_API_KEY";
    assert.deepEqual(schema.required, ["OPENCTI_URL", "OPENCTI_TOKEN", vendorKey]);
    assert.equal(schema.properties[vendorKey].writeOnly, true);
    assert.equal(schema.properties[vendorKey].format, "password");
    assert.equal(
      Object.hasOwn(schema.properties, "CONNECTOR_ID"),
      false,
      "the manager assigns the id",
    );
    assert.equal(schema.properties.CONNECTOR_TYPE.const, "INTERNAL_ENRICHMENT");
    assert.deepEqual(Object.keys(schema.properties).slice(0, 7), [
      "OPENCTI_URL",
      "OPENCTI_TOKEN",
      "CONNECTOR_NAME",
      "CONNECTOR_SCOPE",
      "CONNECTOR_LOG_LEVEL",
      "CONNECTOR_TYPE",
      "CONNECTOR_AUTO",
    ]);
  }
});

Deno.test("each manifest has every catalog field, under this project's own slug", () => {
  for (const vendor of VENDORS) {
    const path = `__metadata__/${vendor.slug}/connector_manifest.json`;
    const manifest = JSON.parse(metadataFiles(VENDORS).get(path)!);
    assert.deepEqual(Object.keys(manifest), CATALOG_KEYS, path);
    assert.equal(manifest.slug, `opencti-enrich-${vendor.name}`);
    assert.ok(manifest.logo === null || typeof manifest.logo === "string");
    assert.equal(manifest.last_verified_date, null);
    assert.deepEqual(manifest.solution_categories, ["Enrichment & Reputation"]);
    assert.equal(manifest.license_type, "Commercial");
    assert.equal(manifest.manager_supported, false);
    assert.equal(manifest.support_version, ">=6.8.0");
    assert.ok(manifest.container_image.length > 0);
    assert.equal(manifest.container_type, "INTERNAL_ENRICHMENT");
  }
});

Deno.test("__metadata__ holds a folder per vendor slug and nothing else", async () => {
  const folders: string[] = [];
  for await (const entry of Deno.readDir(new URL("__metadata__/", root))) {
    if (entry.isDirectory) folders.push(entry.name);
  }
  assert.deepEqual(folders.sort(), VENDORS.map((vendor) => vendor.slug).sort());
});

Deno.test("the README says why the manifests are not manager-supported", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", root));
  assert.match(readme, /declare `manager_supported: false`:\s+OpenCTI's connector manager/);
});
