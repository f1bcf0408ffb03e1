import assert from "node:assert/strict";
import { graphQlEndpoint } from "./client.ts";
import {
  type Harness,
  harness,
  INFO,
  registerInput,
  testClient,
  USER_AGENT,
} from "./_test_harness.ts";

Deno.test("every call sends the bearer token, the user agent, JSON and the custom headers", async () => {
  await using h = await harness({}, { customHeaders: { "X-Tenant": "blue", "X-Trace": "a:b" } });
  await h.client.about();
  const call = h.fake.calls[0];
  assert.ok(call);
  assert.equal(call.headers["authorization"], "Bearer ***");
  assert.equal(call.headers["user-agent"], USER_AGENT);
  assert.match(call.headers["content-type"] ?? "", /^application\/json/);
  assert.equal(call.headers["x-tenant"], "blue");
  assert.equal(call.headers["x-trace"], "a:b");
  assert.equal(call.status, 200);
});

Deno.test("a draft id is sent as opencti-draft-id, and no header is sent without one", async () => {
  await using h = await harness();
  const entity = h.fake.addEntity({
    standard_id: "ipv4-addr--f4e8a7c0-0d6c-5e73-9c35-6f3b6e7a1b11",
    entity_type: "IPv4-Addr",
    observable_value: "198.51.100.7",
  });
  await h.client.readEntity(entity.id, { draftId: "draft-42" });
  await h.client.readStix(entity.id, { draftId: "draft-42" });
  await h.client.readEntity(entity.id, { draftId: null });
  await h.client.readEntity(entity.id);
  const drafts = h.fake.calls.map((call) => call.headers["opencti-draft-id"]);
  assert.deepEqual(drafts, ["draft-42", "draft-42", undefined, undefined]);
});

Deno.test("the endpoint is url + /graphql, keeping the base path and dropping trailing slashes", async () => {
  assert.equal(
    graphQlEndpoint("https://cti.example/opencti///"),
    "https://cti.example/opencti/graphql",
  );
  assert.equal(graphQlEndpoint("http://localhost:8080"), "http://localhost:8080/graphql");
  await using h = await harness({ basePath: "/opencti" });
  const client = testClient({
    url: `${h.fake.url}/`,
    logger: h.log.logger,
  });
  assert.equal((await client.about()).version, "6.8.10");
});

Deno.test("about() returns the platform version and me() the token's user", async () => {
  await using h = await harness({
    version: "6.8.4",
    user: { id: "user-1", name: "enrich-bot", user_email: "bot@example.org" },
  });
  assert.deepEqual(await h.client.about(), { version: "6.8.4" });
  assert.deepEqual(await h.client.me(), {
    id: "user-1",
    name: "enrich-bot",
    userEmail: "bot@example.org",
  });
});

Deno.test("registerConnector() on 6.8.10 sends auto_update and enrichment_resolution and maps the answer", async () => {
  await using h = await harness({
    queuePrefix: "octi",
    connection: {
      host: "mq.internal",
      port: 5671,
      use_ssl: true,
      user: "opencti",
      pass: "mq-secret",
    },
    connectorUserId: "connector-user-7",
  });
  const registration = await h.client.registerConnector(registerInput("conn-1"), {
    platformVersion: "6.8.10",
  });
  assert.deepEqual(registration, {
    id: "conn-1",
    connectorState: null,
    connectorUserId: "connector-user-7",
    config: {
      connection: {
        host: "mq.internal",
        port: 5671,
        vhost: "/",
        useSsl: true,
        user: "opencti",
        pass: "mq-secret",
      },
      listen: "octi_listen_conn-1",
      listenRouting: "octi_listen_routing_conn-1",
      listenExchange: "octi_amqp.connector.exchange",
      push: "octi_push_conn-1",
      pushRouting: "octi_push_routing_conn-1",
      pushExchange: "octi_amqp.worker.exchange",
    },
  });
  const stored = h.fake.connectors.get("conn-1");
  assert.equal(stored?.autoUpdate, true);
  assert.equal(stored?.enrichmentResolution, "stix_bundle");
  assert.deepEqual(stored?.scope, ["IPv4-Addr", "Domain-Name"]);
  assert.equal(stored?.playbookCompatible, true);
  assert.deepEqual(h.fake.rejected, []);
});

Deno.test("registerConnector() on 6.8.8 omits the 6.8.9 fields, which that platform rejects", async () => {
  await using h = await harness({ version: "6.8.8" });
  const registration = await h.client.registerConnector(registerInput("conn-old"), {
    platformVersion: "6.8.8",
  });
  assert.equal(registration.id, "conn-old");
  const stored = h.fake.connectors.get("conn-old");
  assert.equal(stored?.autoUpdate, undefined);
  assert.equal(stored?.enrichmentResolution, undefined);
  assert.deepEqual(h.fake.rejected, []);
  const sent = h.fake.callsOf("RegisterConnectorLegacy")[0]?.variables ?? {};
  assert.ok(!("auto_update" in sent) && !("enrichment_resolution" in sent));
  assert.deepEqual(h.fake.calls.map((call) => call.operationName), [
    "ApiCompatibility",
    "RegisterConnectorLegacy",
  ]);
  const warning = h.log.records().find((record) => record.level === "WARNING");
  assert.match(warning?.message ?? "", /auto_update needs OpenCTI 6\.8\.9/);
});

const METADATA = { version: "0.1.0", slug: "opencti-enrich-silentpush" };

/** Registers `id` with {@link METADATA} as on `platformVersion`; the input the platform accepted. */
async function registerWithMetadata(h: Harness, id: string, platformVersion: string) {
  await h.client.registerConnector(registerInput(id, METADATA), { platformVersion });
  assert.deepEqual(h.fake.rejected, []);
  return h.fake.registrationInputs[0] ?? {};
}

Deno.test("registerConnector() on a 7.x platform sends the connector's version and slug", async () => {
  await using h = await harness({ version: "7.260807.0" });
  const sent = await registerWithMetadata(h, "conn-7", "7.260807.0");
  assert.equal(sent.version, "0.1.0");
  assert.equal(sent.slug, "opencti-enrich-silentpush");
  assert.equal(sent.auto_update, true);
  assert.equal(sent.enrichment_resolution, "stix_bundle");
  assert.equal(h.fake.connectors.get("conn-7")?.slug, "opencti-enrich-silentpush");
});

Deno.test("registerConnector() never sends version or slug to 6.8.10, whose input lacks them", async () => {
  await using h = await harness({ version: "6.8.10" });
  const sent = await registerWithMetadata(h, "conn-6", "6.8.10");
  assert.ok(!("version" in sent) && !("slug" in sent), JSON.stringify(sent));
  assert.equal(sent.auto_update, true);
  assert.equal(h.fake.connectors.get("conn-6")?.version, undefined);
});

Deno.test("registerConnector() on 7.x without a version and slug to give sends neither", async () => {
  await using h = await harness({ version: "7.260807.0" });
  await h.client.registerConnector(registerInput("conn-7b"), { platformVersion: "7.260807.0" });
  const sent = h.fake.registrationInputs[0] ?? {};
  assert.ok(!("version" in sent) && !("slug" in sent), JSON.stringify(sent));
  assert.equal(sent.auto_update, true);
});

Deno.test('pingConnector() sends state "null" and connector info, and reports a remote state reset', async () => {
  await using h = await harness();
  await h.client.registerConnector(registerInput("conn-p"), { platformVersion: "6.8.10" });
  const first = await h.client.pingConnector("conn-p", { state: null, info: INFO });
  assert.equal(h.fake.calls.at(-1)?.variables.state, "null");
  assert.deepEqual(h.fake.connectors.get("conn-p")?.info, INFO);
  assert.equal(first.connectorState, "null");

  await h.client.pingConnector("conn-p", { state: '{"last":1}', info: INFO });
  assert.equal(h.fake.connectors.get("conn-p")?.state, '{"last":1}');

  h.fake.resetState("conn-p");
  const reset = await h.client.pingConnector("conn-p", { state: '{"last":1}', info: INFO });
  assert.equal(reset.connectorState, "");
  assert.equal(h.fake.connectors.get("conn-p")?.state, "");

  const after = await h.client.pingConnector("conn-p", { state: null, info: INFO });
  assert.equal(after.connectorState, "null");
});

Deno.test("work mutations move the platform's work through received, expectations and processed", async (t) => {
  await using h = await harness();
  await t.step("toReceived marks the work in progress with the message", async () => {
    assert.equal(await h.client.toReceived("work-1", "Connector ready"), "work-1");
    const work = h.fake.work("work-1");
    assert.equal(work?.status, "progress");
    assert.ok(work?.receivedTime);
    assert.deepEqual(work?.messages.map((m) => m.message), ["Connector ready"]);
  });
  await t.step("addExpectations adds, and a negative count takes back", async () => {
    await h.client.addExpectations("work-1", 3);
    await h.client.addExpectations("work-1", -1);
    assert.equal(h.fake.work("work-1")?.expectations, 2);
  });
  await t.step("toProcessed with outstanding expectations leaves the work open", async () => {
    await h.client.toProcessed("work-1", "2 objects sent", false);
    const work = h.fake.work("work-1");
    assert.equal(work?.status, "progress");
    assert.ok(work?.processedTime);
    h.fake.reportExpectation("work-1");
    h.fake.reportExpectation("work-1");
    assert.equal(h.fake.work("work-1")?.status, "complete");
  });
  await t.step(
    "toProcessed in error records an error and completes a work without expectations",
    async () => {
      await h.client.toProcessed("work-2", "Vendor unreachable", true);
      const work = h.fake.work("work-2");
      assert.equal(work?.status, "complete");
      assert.deepEqual(work?.errors.map((e) => e.message), ["Vendor unreachable"]);
      assert.deepEqual(work?.messages, []);
    },
  );
  await t.step("pingWork touches the work", async () => {
    await h.client.pingWork("work-1");
    assert.equal(h.fake.work("work-1")?.pings, 1);
  });
  await t.step("a fractional expectation count is refused before sending", async () => {
    await assert.rejects(h.client.addExpectations("work-1", 1.5), RangeError);
  });
});

Deno.test("playbookStepExecution() hands the nine arguments to the platform", async () => {
  await using h = await harness();
  const args = {
    execution_id: "exec-1",
    event_id: "event-1",
    execution_start: "2025-01-02T03:04:05+00:00",
    data_instance_id: "ipv4-addr--1",
    playbook_id: "playbook-1",
    previous_step_id: "step-0",
    step_id: "step-1",
    previous_bundle: '{"type":"bundle","id":"bundle--1","objects":[]}',
    bundle: '{"type":"bundle","id":"bundle--1","objects":[{"id":"x"}]}',
  };
  assert.equal(await h.client.playbookStepExecution(args), true);
  assert.deepEqual(h.fake.playbookSteps, [args]);
});
