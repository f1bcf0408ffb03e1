import assert from "node:assert/strict";
import { VENDORS } from "../lib/vendors/mod.ts";
import { formattedOutputs, metadataFiles } from "../tools/metadata.ts";

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
