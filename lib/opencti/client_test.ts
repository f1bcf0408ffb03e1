import assert from "node:assert/strict";
import { ConfigError, OpenCtiError } from "../errors/mod.ts";
import { captureLogger } from "../log/testing.ts";
import {
  FAKE_TLP_MARKINGS,
  type FakeOpenCti,
  startFakeOpenCti,
} from "../../tests/fake_opencti/mod.ts";
import { backoff } from "./_transport.ts";
import {
  createOpenCtiClient,
  graphQlEndpoint,
  type OpenCtiClient,
  type OpenCtiClientOptions,
} from "./client.ts";
import type { ConnectorInfo, RegisterInput } from "./types.ts";

const TOKEN = "tok-5f1c2a9e-do-not-leak";
const USER_AGENT = "opencti-enrich/0.0.0-test";

interface Harness {
  fake: FakeOpenCti;
  client: OpenCtiClient;
  delays: number[];
  log: ReturnType<typeof captureLogger>;
}

async function harness(
  fakeOptions: Parameters<typeof startFakeOpenCti>[0] = {},
  clientOptions: Partial<OpenCtiClientOptions> = {},
): Promise<Harness & AsyncDisposable> {
  const fake = await startFakeOpenCti({ token: TOKEN, ...fakeOptions });
  const log = captureLogger();
  const delays: number[] = [];
  const client = createOpenCtiClient({
    url: fake.url,
    token: TOKEN,
    userAgent: USER_AGENT,
    logger: log.logger,
    retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 4 },
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    ...clientOptions,
  });
  return {
    fake,
    client,
    delays,
    log,
    async [Symbol.asyncDispose]() {
      await client.close();
      await fake.close();
    },
  };
}

const INFO: ConnectorInfo = {
  run_and_terminate: false,
  buffering: false,
  queue_threshold: 500,
  queue_messages_size: 0,
  next_run_datetime: null,
  last_run_datetime: null,
};

function registerInput(id: string): RegisterInput {
  return {
    id,
    name: "Silent Push",
    type: "INTERNAL_ENRICHMENT",
    scope: ["IPv4-Addr", "Domain-Name"],
    auto: true,
    auto_update: true,
    enrichment_resolution: "stix_bundle",
    only_contextual: false,
    playbook_compatible: true,
    listen_callback_uri: null,
  };
}

async function rejection(promise: Promise<unknown>): Promise<OpenCtiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OpenCtiError, `expected an OpenCtiError, got ${error}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

Deno.test("every call sends the bearer token, the user agent, JSON and the custom headers", async () => {
  await using h = await harness({}, { customHeaders: "X-Tenant: blue ; X-Trace:a:b" });
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
  assert.throws(() => graphQlEndpoint("localhost:8080"), ConfigError);
  assert.throws(() => graphQlEndpoint("not a url"), ConfigError);
  await using h = await harness({ basePath: "/opencti" });
  const client = createOpenCtiClient({
    url: `${h.fake.url}/`,
    token: TOKEN,
    userAgent: USER_AGENT,
    logger: h.log.logger,
  });
  assert.equal((await client.about()).version, "6.8.10");
});

Deno.test("an empty token is refused before any call", () => {
  assert.throws(
    () =>
      createOpenCtiClient({
        url: "http://127.0.0.1:1",
        token: " ",
        userAgent: USER_AGENT,
        logger: captureLogger().logger,
      }),
    ConfigError,
  );
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
  const sent = h.fake.calls[0]?.variables ?? {};
  assert.ok(!("auto_update" in sent) && !("enrichment_resolution" in sent));
  const warning = h.log.records().find((record) => record.level === "WARNING");
  assert.match(warning?.message ?? "", /auto_update needs OpenCTI 6\.8\.9/);
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

Deno.test("a GraphQL error on HTTP 200 fails with the platform's message and code, without retry", async () => {
  await using h = await harness();
  h.fake.injectError("WorkPing", { message: "Work is locked", code: "LOCK_ERROR" });
  const error = await rejection(h.client.pingWork("work-9"));
  assert.equal(error.kind, "graphql");
  assert.equal(error.code, "LOCK_ERROR");
  assert.equal(error.status, 200);
  assert.equal(error.transient, false);
  assert.match(error.message, /Work is locked/);
  assert.match(error.message, /"WorkPing"/);
  assert.equal(h.fake.callsOf("WorkPing").length, 1);
});

Deno.test("a bad token fails with kind auth and the AUTH_REQUIRED code, without retry", async () => {
  await using h = await harness();
  const client = createOpenCtiClient({
    url: h.fake.url,
    token: "wrong-token-abc",
    userAgent: USER_AGENT,
    logger: h.log.logger,
  });
  const error = await rejection(client.about());
  assert.equal(error.kind, "auth");
  assert.equal(error.code, "AUTH_REQUIRED");
  assert.equal(error.transient, false);
  assert.ok(!error.message.includes("wrong-token-abc"));
  assert.equal(h.fake.calls.length, 1);
});

Deno.test("a 502 is retried with growing delays until the platform answers", async () => {
  await using h = await harness({}, {
    retry: { maxRetries: 4, baseDelayMs: 100, maxDelayMs: 1000 },
    random: () => 0.5,
  });
  h.fake.failNext(2, 502);
  assert.equal((await h.client.about()).version, "6.8.10");
  assert.deepEqual(h.fake.calls.map((call) => call.status), [502, 502, 200]);
  assert.deepEqual(h.delays, [75, 150]);
  const warnings = h.log.records().filter((record) => record.level === "WARNING");
  assert.equal(warnings.length, 2);
  assert.equal(warnings[0]?.attributes?.operation, "About");
});

Deno.test("a 502 that never ends fails as transient after the configured retries", async () => {
  await using h = await harness();
  h.fake.failFor(60_000, 503);
  const error = await rejection(h.client.toReceived("work-3", "ready"));
  assert.equal(error.kind, "http");
  assert.equal(error.status, 503);
  assert.equal(error.transient, true);
  assert.match(error.message, /HTTP 503/);
  assert.match(error.message, /gave up after 4 attempts/);
  assert.equal(h.fake.calls.length, 4);
  assert.equal(h.delays.length, 3);
});

Deno.test("another HTTP error fails at once with the status and the start of the body", async () => {
  await using h = await harness();
  h.fake.failNext(1, 500);
  const error = await rejection(h.client.about());
  assert.equal(error.kind, "http");
  assert.equal(error.status, 500);
  assert.equal(error.transient, false);
  assert.match(error.message, /HTTP 500 to "About": <html><body><h1>500 Internal Server Error/);
  assert.equal(h.fake.calls.length, 1);
});

Deno.test("a refused connection fails as a transient network error after retries", async () => {
  const fake = await startFakeOpenCti();
  const url = fake.url;
  await fake.close();
  const delays: number[] = [];
  const client = createOpenCtiClient({
    url,
    token: TOKEN,
    userAgent: USER_AGENT,
    logger: captureLogger().logger,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 },
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
  });
  const error = await rejection(client.about());
  assert.equal(error.kind, "network");
  assert.equal(error.transient, true);
  assert.match(
    error.message,
    /Cannot reach OpenCTI at "http:\/\/127\.0\.0\.1:\d+\/graphql" for "About"/,
  );
  assert.equal(delays.length, 2);
});

Deno.test("a platform slower than the timeout fails as a transient network error", async () => {
  await using h = await harness({}, { timeoutMs: 30, retry: { maxRetries: 0 } });
  h.fake.setLatency(200);
  const error = await rejection(h.client.about());
  assert.equal(error.kind, "network");
  assert.equal(error.transient, true);
  assert.match(error.message, /did not answer "About" within 30 ms/);
});

Deno.test("the request body is {query, variables}, as pycti sends it", async () => {
  const bodies: Record<string, unknown>[] = [];
  const client = createOpenCtiClient({
    url: "http://platform.invalid",
    token: TOKEN,
    userAgent: USER_AGENT,
    logger: captureLogger().logger,
    fetch: async (_input, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      return await Promise.resolve(Response.json({ data: { about: { version: "6.8.10" } } }));
    },
  });
  assert.equal((await client.about()).version, "6.8.10");
  assert.deepEqual(Object.keys(bodies[0]!).sort(), ["query", "variables"]);
  assert.match(String(bodies[0]!.query), /query About/);
});

Deno.test("answers of the wrong shape fail as invalid_response", async () => {
  const answers = [
    { body: '{"data":{"about":null}}', pattern: /unexpected shape at "about"/ },
    { body: "not json at all", pattern: /not a GraphQL response/ },
  ];
  for (const { body, pattern } of answers) {
    const client = createOpenCtiClient({
      url: "http://platform.invalid",
      token: TOKEN,
      userAgent: USER_AGENT,
      logger: captureLogger().logger,
      fetch: () =>
        Promise.resolve(
          new Response(body, { headers: { "content-type": "application/json" } }),
        ),
    });
    const error = await rejection(client.about());
    assert.equal(error.kind, "invalid_response");
    assert.match(error.message, pattern);
  }
});

Deno.test("readStix() refuses a STIX export that is not a JSON object", async () => {
  const client = createOpenCtiClient({
    url: "http://platform.invalid",
    token: TOKEN,
    userAgent: USER_AGENT,
    logger: captureLogger().logger,
    fetch: () => Promise.resolve(Response.json({ data: { stix: "[1,2" } })),
  });
  const error = await rejection(client.readStix("x"));
  assert.equal(error.kind, "invalid_response");
  assert.match(error.message, /STIX export of "x" is not valid JSON/);
});

Deno.test("the token never appears in errors or logs, even when a proxy echoes it", async () => {
  const messages: string[] = [];
  const log = captureLogger();
  const client = createOpenCtiClient({
    url: "http://platform.invalid",
    token: TOKEN,
    userAgent: USER_AGENT,
    logger: log.logger,
    retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 },
    sleep: () => Promise.resolve(),
    fetch: (_input, init) => {
      const auth = new Headers(init?.headers).get("authorization") ?? "";
      return Promise.resolve(new Response(`bad gateway, you sent ${auth}`, { status: 502 }));
    },
  });
  const proxied = await rejection(client.about());
  messages.push(proxied.message);
  await using h = await harness();
  h.fake.injectError("About", { message: `token ${TOKEN} expired`, code: "AUTH_REQUIRED" });
  messages.push((await rejection(h.client.about())).message);
  h.fake.failNext(1, 418);
  messages.push((await rejection(h.client.about())).message);
  const everything = [...messages, ...log.lines, ...h.log.lines].join("\n");
  assert.match(everything, /bad gateway, you sent Bearer \*\*\*/);
  assert.ok(!everything.includes(TOKEN));
});

Deno.test("an unreadable CA bundle is a configuration error naming the path", async () => {
  const client = createOpenCtiClient({
    url: "https://platform.invalid",
    token: TOKEN,
    userAgent: USER_AGENT,
    logger: captureLogger().logger,
    sslVerify: "/nonexistent/ca-bundle.pem",
  });
  await assert.rejects(client.about(), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /opencti\.ssl_verify.*"\/nonexistent\/ca-bundle\.pem"/);
    return true;
  });
  await client.close();
});

Deno.test("backoff() doubles from the base, stops at the cap and keeps half of the delay fixed", () => {
  const retry = { maxRetries: 6, baseDelayMs: 500, maxDelayMs: 10_000 };
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => backoff(i, retry, () => 1)), [
    500,
    1000,
    2000,
    4000,
    8000,
    10_000,
  ]);
  assert.deepEqual([0, 5].map((i) => backoff(i, retry, () => 0)), [250, 5000]);
});
