import assert from "node:assert/strict";
import { harness, registerInput, rejection } from "./_test_harness.ts";

const METADATA = { version: "0.1.0", slug: "opencti-enrich-silentpush" };

Deno.test("the platform is introspected once per client, however many connectors register", async () => {
  await using h = await harness({ version: "7.260807.0" });
  for (const id of ["conn-a", "conn-b", "conn-c"]) {
    await h.client.registerConnector(registerInput(id, METADATA), {
      platformVersion: "7.260807.0",
    });
  }
  assert.equal(h.fake.callsOf("ApiCompatibility").length, 1);
  assert.equal(h.fake.callsOf("RegisterConnectorWithMetadata").length, 3);
  assert.deepEqual(h.fake.rejected, []);
});

Deno.test("introspection decides, not the version: a 7.x version on a 6.8.10 schema gets no version or slug", async () => {
  // A platform whose version says 7.x but whose input lacks version/slug, as 7.2602–7.2608 may.
  await using h = await harness({ version: "6.8.10" });
  await h.client.registerConnector(registerInput("conn-x", METADATA), {
    platformVersion: "7.260224.0",
  });
  assert.deepEqual(h.fake.rejected, []);
  assert.equal(h.fake.callsOf("RegisterConnector").length, 1);
});

Deno.test("when introspection is refused, the version rule decides and version/slug are never sent; warned once", async (t) => {
  await t.step("on 7.x the 6.8.9 fields are sent, version and slug are not", async () => {
    await using h = await harness({ version: "7.260807.0", refuseIntrospection: true });
    for (const id of ["conn-1", "conn-2"]) {
      await h.client.registerConnector(registerInput(id, METADATA), {
        platformVersion: "7.260807.0",
      });
    }
    assert.equal(h.fake.callsOf("RegisterConnector").length, 2);
    const sent = h.fake.registrationInputs[0] ?? {};
    assert.ok(!("version" in sent) && !("slug" in sent));
    assert.equal(sent.auto_update, true);
    const warnings = h.log.records().filter((record) => record.level === "WARNING");
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.match(warnings[0]?.message ?? "", /did not describe its registration input/);
    assert.match(String(warnings[0]?.attributes?.reason), /introspection/i);
    assert.equal(h.fake.rejected.length, 1, "only the introspection was refused");
  });
  await t.step("on 6.8.8 the legacy input is sent", async () => {
    await using h = await harness({ version: "6.8.8", refuseIntrospection: true });
    await h.client.registerConnector(registerInput("conn-old"), { platformVersion: "6.8.8" });
    assert.equal(h.fake.callsOf("RegisterConnectorLegacy").length, 1);
    assert.equal(h.fake.connectors.get("conn-old")?.autoUpdate, undefined);
  });
});

Deno.test("a refused token at introspection fails the registration as auth, and is asked again next time", async () => {
  await using h = await harness({ version: "7.260807.0" });
  h.fake.injectError("ApiCompatibility", {
    message: "You must be logged in to do this.",
    code: "AUTH_REQUIRED",
  });
  const error = await rejection(
    h.client.registerConnector(registerInput("conn-r"), { platformVersion: "7.260807.0" }),
  );
  assert.equal(error.kind, "auth");
  assert.equal(h.fake.connectors.size, 0);
  await h.client.registerConnector(registerInput("conn-r"), { platformVersion: "7.260807.0" });
  assert.equal(h.fake.callsOf("ApiCompatibility").length, 2);
  assert.ok(h.fake.connectors.has("conn-r"));
});

Deno.test("an unlicensed LTS platform fails registration as licence, not as an outage", async () => {
  await using h = await harness({ version: "7.260309.0-lts.2", requireLtsActivation: true });
  const error = await rejection(
    h.client.registerConnector(registerInput("conn-lts"), {
      platformVersion: "7.260309.0-lts.2",
    }),
  );
  assert.equal(error.kind, "licence");
  assert.equal(error.transient, false);
  assert.equal(h.fake.calls.length, 1, "not retried");
});
