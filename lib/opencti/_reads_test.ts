import assert from "node:assert/strict";
import { FAKE_TLP_MARKINGS } from "../../tests/fake_opencti/mod.ts";
import { harness, rejection, testClient } from "./_test_harness.ts";

Deno.test("readEntity() returns ids, type, markings, author, value and score; null when unknown", async () => {
  await using h = await harness();
  const entity = h.fake.addEntity({
    standard_id: "domain-name--3c4a5c1e-7f29-5c1b-9a8e-2f4b6f1d0a22",
    entity_type: "Domain-Name",
    observable_value: "example.org",
    x_opencti_score: 42,
    objectMarking: [
      { ...FAKE_TLP_MARKINGS["TLP:AMBER"]! },
      { definition_type: "PAP", definition: "PAP:GREEN", x_opencti_order: 2 },
    ],
    createdBy: { name: "ACME CERT", identity_class: "organization" },
  });
  const read = await h.client.readEntity(entity.standard_id);
  assert.ok(read);
  assert.equal(read.id, entity.id);
  assert.equal(read.standardId, entity.standard_id);
  assert.equal(read.entityType, "Domain-Name");
  assert.equal(read.observableValue, "example.org");
  assert.equal(read.score, 42);
  assert.deepEqual(
    read.objectMarking.map((
      m,
    ) => [m.definitionType, m.definition, m.standardId.startsWith("marking-definition--")]),
    [["TLP", "TLP:AMBER", true], ["PAP", "PAP:GREEN", true]],
  );
  assert.equal(
    read.objectMarking[0]?.standardId,
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
  );
  assert.equal(read.createdBy?.name, "ACME CERT");
  assert.equal(read.createdBy?.identityClass, "organization");
  assert.equal(await h.client.readEntity("ipv4-addr--00000000-0000-5000-8000-000000000000"), null);
});

Deno.test("readEntity() of a non-observable has no observable value", async () => {
  await using h = await harness();
  const indicator = h.fake.addEntity({
    standard_id: "indicator--9d0e5b7a-1f2c-4e3d-8a9b-0c1d2e3f4a5b",
    entity_type: "Indicator",
    name: "Bad domain",
    pattern: "[domain-name:value = 'bad.example']",
    pattern_type: "stix",
  });
  const read = await h.client.readEntity(indicator.id);
  assert.equal(read?.entityType, "Indicator");
  assert.equal(read?.observableValue, null);
  assert.deepEqual(read?.objectMarking, []);
  assert.equal(read?.createdBy, null);
});

Deno.test("readStix() parses the platform's STIX export and returns null for an unknown id", async () => {
  await using h = await harness();
  const stix = {
    id: "ipv4-addr--a1b2c3d4-0000-5000-8000-000000000001",
    type: "ipv4-addr",
    spec_version: "2.1",
    value: "203.0.113.9",
  };
  h.fake.addEntity({
    standard_id: stix.id,
    entity_type: "IPv4-Addr",
    observable_value: stix.value,
    stix,
  });
  assert.deepEqual(await h.client.readStix(stix.id), stix);
  assert.equal(await h.client.readStix("ipv4-addr--ffffffff-0000-5000-8000-000000000000"), null);
});

Deno.test("ensureLabel() returns an existing label without creating it", async () => {
  await using h = await harness();
  h.fake.addLabel("malicious", "#ff0000");
  assert.equal(await h.client.ensureLabel("malicious", "#00ff00"), "malicious");
  assert.deepEqual(h.fake.calls.map((call) => call.operationName), ["ReadLabel"]);
  assert.equal(h.fake.labels.length, 1);
});

Deno.test("ensureLabel() creates a missing label with its colour and then answers from its cache", async () => {
  await using h = await harness();
  assert.equal(await h.client.ensureLabel("sp-flag", "#123456"), "sp-flag");
  assert.deepEqual(h.fake.labels.map((l) => [l.value, l.color]), [["sp-flag", "#123456"]]);
  assert.equal(await h.client.ensureLabel("sp-flag", "#123456"), "sp-flag");
  assert.deepEqual(h.fake.calls.map((call) => call.operationName), ["ReadLabel", "AddLabel"]);
});

Deno.test("concurrent ensureLabel() calls for one label make one lookup and one creation", async () => {
  await using h = await harness();
  h.fake.setLatency(20);
  const values = await Promise.all(
    Array.from({ length: 5 }, () => h.client.ensureLabel("burst", "#abcdef")),
  );
  assert.deepEqual(values, ["burst", "burst", "burst", "burst", "burst"]);
  assert.equal(h.fake.callsOf("ReadLabel").length, 1);
  assert.equal(h.fake.callsOf("AddLabel").length, 1);
  assert.equal(h.fake.labels.length, 1);
});

Deno.test("ensureLabel() fails clearly when the platform refuses the creation, and retries later", async () => {
  await using h = await harness();
  h.fake.forbidLabelCreation();
  const error = await rejection(h.client.ensureLabel("forbidden", "#000000"));
  assert.equal(error.kind, "auth");
  assert.equal(error.code, "FORBIDDEN_ACCESS");
  assert.match(error.message, /Cannot create label "forbidden"/);
  h.fake.forbidLabelCreation(false);
  assert.equal(await h.client.ensureLabel("forbidden", "#000000"), "forbidden");
});

Deno.test("readStix() refuses a STIX export that is not a JSON object", async () => {
  const client = testClient({
    url: "http://platform.invalid",
    fetch: () => Promise.resolve(Response.json({ data: { stix: "[1,2" } })),
  });
  const error = await rejection(client.readStix("x"));
  assert.equal(error.kind, "invalid_response");
  assert.match(error.message, /STIX export of "x" is not valid JSON/);
});
