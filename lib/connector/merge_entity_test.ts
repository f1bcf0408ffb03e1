import assert from "node:assert/strict";
import { OPENCTI_EXTENSION, OPENCTI_SCO_EXTENSION } from "../stix/mod.ts";
import { mergeEntityUpdate, sharedOrganizations, withGrantedRefs } from "./merge_entity.ts";

const IP_ID = "ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7";

Deno.test("the vendor's score and labels land on the platform's copy, extensions included", () => {
  const incoming = {
    type: "ipv4-addr",
    id: IP_ID,
    spec_version: "2.1",
    value: "8.8.8.8",
    extensions: {
      [OPENCTI_SCO_EXTENSION]: {
        extension_type: "property-extension",
        score: 10,
        labels: ["seen"],
      },
    },
  };
  const update = {
    type: "ipv4-addr",
    id: IP_ID,
    value: "8.8.8.8",
    x_opencti_score: 85,
    x_opencti_labels: ["is_proxy", "seen"],
    x_opencti_created_by_ref: "identity--x",
  };
  const merged = mergeEntityUpdate(incoming, update);
  assert.equal(merged.x_opencti_score, 85);
  assert.deepEqual(merged.x_opencti_labels, ["is_proxy", "seen"]);
  assert.equal(merged.x_opencti_created_by_ref, "identity--x");
  const extension =
    (merged.extensions as Record<string, Record<string, unknown>>)[OPENCTI_SCO_EXTENSION];
  assert.equal(extension?.score, 85);
  assert.deepEqual(extension?.labels, ["seen", "is_proxy"]);
  assert.equal(extension?.extension_type, "property-extension");
  assert.equal(incoming.extensions[OPENCTI_SCO_EXTENSION].score, 10, "the input is not mutated");
});

Deno.test("object properties such as hashes are merged, not replaced", () => {
  const incoming = {
    type: "file",
    id: "file--1",
    hashes: { MD5: "aa", "SHA-1": "bb" },
    name: "x.exe",
  };
  const merged = mergeEntityUpdate(incoming, {
    type: "file",
    id: "file--1",
    hashes: { MD5: "aa", "SHA-256": "cc" },
    size: 10,
  });
  assert.deepEqual(merged.hashes, { MD5: "aa", "SHA-1": "bb", "SHA-256": "cc" });
  assert.equal(merged.size, 10);
  assert.equal(merged.name, "x.exe");
});

Deno.test("shared organizations are found in the entity and propagated to new objects", () => {
  const entity = {
    type: "ipv4-addr",
    id: IP_ID,
    extensions: { [OPENCTI_SCO_EXTENSION]: { granted_refs: ["identity--org1"] } },
  };
  assert.deepEqual(sharedOrganizations(entity), ["identity--org1"]);
  assert.deepEqual(
    sharedOrganizations({ type: "x", id: "x--1", x_opencti_granted_refs: ["identity--o2"] }),
    ["identity--o2"],
  );
  assert.deepEqual(sharedOrganizations({ type: "x", id: "x--1" }), []);

  const sco = withGrantedRefs({ type: "domain-name", id: "domain-name--1" }, ["identity--org1"]);
  assert.deepEqual(sco.x_opencti_granted_refs, ["identity--org1"]);
  const sdo = withGrantedRefs(
    {
      type: "location",
      id: "location--1",
      extensions: { [OPENCTI_EXTENSION]: { granted_refs: ["identity--a"] } },
    },
    ["identity--org1"],
  );
  assert.deepEqual(
    (sdo.extensions as Record<string, Record<string, unknown>>)[OPENCTI_EXTENSION]?.granted_refs,
    [
      "identity--a",
      "identity--org1",
    ],
  );
});
