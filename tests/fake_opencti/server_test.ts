import assert from "node:assert/strict";
import {
  API_COMPATIBILITY,
  REGISTER_CONNECTOR,
  REGISTER_CONNECTOR_LEGACY,
  REGISTER_CONNECTOR_WITH_METADATA,
} from "../../lib/opencti/mod.ts";
import { type FakeOpenCti, startFakeOpenCti } from "./mod.ts";

async function post(
  fake: FakeOpenCti,
  body: Record<string, unknown>,
  options: { token?: string; path?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${fake.url}${options.path ?? "/graphql"}`, {
    method: "POST",
    headers: {
      "Authorization": `Bearer ${options.token ?? fake.token}`,
      "Content-Type": "application/json",
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text.startsWith("{") ? JSON.parse(text) : { text } };
}

function firstError(json: Record<string, unknown>): Record<string, unknown> {
  const errors = json.errors as Record<string, unknown>[] | undefined;
  assert.ok(errors && errors[0], JSON.stringify(json));
  return errors[0];
}

const REGISTER_VARIABLES = {
  id: "c-1",
  name: "Enricher",
  type: "INTERNAL_ENRICHMENT",
  scope: ["IPv4-Addr"],
  auto: false,
  auto_update: true,
  enrichment_resolution: "none",
  only_contextual: false,
  playbook_compatible: false,
  listen_callback_uri: null,
};

Deno.test("the fake rejects a document outside the connector schema with a GraphQL error and records it", async () => {
  await using fake = await startFakeOpenCti();
  const { status, json } = await post(fake, {
    query: "query Bogus { about { version nonsense } }",
  });
  assert.equal(status, 200);
  assert.equal(firstError(json).name, "GRAPHQL_VALIDATION_FAILED");
  assert.equal(fake.rejected.length, 1);
  assert.equal(fake.rejected[0]?.operationName, "Bogus");
  assert.match(fake.rejected[0]?.errors[0] ?? "", /nonsense/);
});

Deno.test("the fake rejects unparseable documents", async () => {
  await using fake = await startFakeOpenCti();
  const { json } = await post(fake, { query: "query {" });
  assert.equal(firstError(json).name, "GRAPHQL_PARSE_FAILED");
  assert.equal(fake.rejected.length, 1);
});

Deno.test("below 6.8.9 the fake rejects registration with auto_update and enrichment_resolution", async () => {
  await using old = await startFakeOpenCti({ version: "6.8.8" });
  const refused = await post(old, {
    query: REGISTER_CONNECTOR.query,
    variables: REGISTER_VARIABLES,
  });
  assert.match(String(firstError(refused.json).message), /auto_update/);
  assert.equal(old.connectors.size, 0);
  const { auto_update: _a, enrichment_resolution: _e, ...legacy } = REGISTER_VARIABLES;
  const accepted = await post(old, { query: REGISTER_CONNECTOR_LEGACY.query, variables: legacy });
  assert.equal(accepted.json.errors, undefined);
  assert.ok(old.connectors.has("c-1"));

  await using current = await startFakeOpenCti({ version: "6.8.10" });
  const ok = await post(current, {
    query: REGISTER_CONNECTOR.query,
    variables: REGISTER_VARIABLES,
  });
  assert.equal(ok.json.errors, undefined);
  assert.equal(current.connectors.get("c-1")?.autoUpdate, true);
});

const METADATA_VARIABLES = { ...REGISTER_VARIABLES, version: "0.1.0", slug: "opencti-enrich-x" };

function inputFieldNames(json: Record<string, unknown>): string[] {
  const data = json.data as { registerConnectorInput?: { inputFields?: { name: string }[] } };
  return (data.registerConnectorInput?.inputFields ?? []).map((field) => field.name);
}

Deno.test("a 7.x fake accepts version and slug at registration and records the input as sent", async () => {
  await using fake = await startFakeOpenCti({ version: "7.260807.0" });
  const { json } = await post(fake, {
    query: REGISTER_CONNECTOR_WITH_METADATA.query,
    variables: METADATA_VARIABLES,
  });
  assert.equal(json.errors, undefined, JSON.stringify(json));
  assert.equal(fake.connectors.get("c-1")?.version, "0.1.0");
  assert.equal(fake.connectors.get("c-1")?.slug, "opencti-enrich-x");
  assert.equal(fake.registrationInputs[0]?.slug, "opencti-enrich-x");
});

Deno.test("a 6.8.10 fake rejects version and slug, as that platform does", async () => {
  await using fake = await startFakeOpenCti({ version: "6.8.10" });
  const { json } = await post(fake, {
    query: REGISTER_CONNECTOR_WITH_METADATA.query,
    variables: METADATA_VARIABLES,
  });
  assert.match(String(firstError(json).message), /"version" is not defined by type/);
  assert.equal(fake.connectors.size, 0);
  assert.deepEqual(fake.registrationInputs, []);
});

Deno.test("introspection of RegisterConnectorInput answers from the schema the fake plays", async () => {
  const fields: Record<string, string[]> = {};
  for (const version of ["6.8.8", "6.8.10", "7.260807.0"]) {
    await using fake = await startFakeOpenCti({ version });
    fields[version] = inputFieldNames((await post(fake, { query: API_COMPATIBILITY.query })).json);
  }
  assert.ok(!fields["6.8.8"]!.includes("auto_update"));
  assert.ok(fields["6.8.10"]!.includes("auto_update") && !fields["6.8.10"]!.includes("version"));
  for (const field of ["auto_update", "xtm_one_intent", "version", "slug"]) {
    assert.ok(fields["7.260807.0"]!.includes(field), field);
  }
});

Deno.test("with introspection refused, the fake rejects __type with a validation error", async () => {
  await using fake = await startFakeOpenCti({ refuseIntrospection: true });
  const { json } = await post(fake, { query: API_COMPATIBILITY.query });
  assert.equal(firstError(json).name, "GRAPHQL_VALIDATION_FAILED");
  assert.match(String(firstError(json).message), /introspection has been disabled/);
  const about = await post(fake, { query: "query About { about { version } }" });
  assert.equal(about.json.errors, undefined);
});

Deno.test("an unlicensed LTS fake answers every valid request with LTS_REQUIRED_ACTIVATION", async () => {
  await using fake = await startFakeOpenCti({
    version: "7.260309.0-lts.2",
    requireLtsActivation: true,
  });
  for (const query of ["query About { about { version } }", API_COMPATIBILITY.query]) {
    const { status, json } = await post(fake, { query });
    assert.equal(status, 200);
    assert.equal(firstError(json).name, "LTS_REQUIRED_ACTIVATION");
    assert.equal(firstError(json).message, "You must activate your LTS license.");
  }
});

Deno.test("the fake answers a wrong token with HTTP 200 and AUTH_REQUIRED, and masks tokens in its records", async () => {
  await using fake = await startFakeOpenCti({ token: "right" });
  const { status, json } = await post(fake, { query: "query About { about { version } }" }, {
    token: "wrong",
  });
  assert.equal(status, 200);
  const error = firstError(json);
  assert.equal(error.name, "AUTH_REQUIRED");
  assert.deepEqual(error.extensions, { code: "AUTH_REQUIRED", data: { http_status: 401 } });
  assert.equal(fake.calls[0]?.headers["authorization"], "Bearer ***");
});

Deno.test("the token must follow the case-sensitive 'Bearer ' prefix", async () => {
  await using fake = await startFakeOpenCti({ token: "t1" });
  const response = await fetch(`${fake.url}/graphql`, {
    method: "POST",
    headers: { "Authorization": "bearer t1", "Content-Type": "application/json" },
    body: JSON.stringify({ query: "query About { about { version } }" }),
  });
  assert.equal(firstError(await response.json()).name, "AUTH_REQUIRED");
});

Deno.test("registration awaits the onRegister hook, then hands out prefixed queue names", async () => {
  const events: string[] = [];
  await using fake = await startFakeOpenCti({
    queuePrefix: "tenant",
    onRegister: async (connectorId) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`declared ${connectorId}`);
    },
  });
  const { json } = await post(fake, {
    query: REGISTER_CONNECTOR.query,
    variables: REGISTER_VARIABLES,
  });
  events.push("answered");
  assert.deepEqual(events, ["declared c-1", "answered"]);
  const config = (json.data as { registerConnector: { config: Record<string, unknown> } })
    .registerConnector.config;
  assert.equal(config.listen, "tenant_listen_c-1");
  assert.equal(config.push_routing, "tenant_push_routing_c-1");
  assert.equal(config.push_exchange, "tenant_amqp.worker.exchange");
  assert.deepEqual(config.connection, {
    host: "127.0.0.1",
    vhost: "/",
    use_ssl: false,
    port: 5672,
    user: "guest",
    pass: "guest",
  });
});

Deno.test("re-registering keeps the stored connector state", async () => {
  await using fake = await startFakeOpenCti();
  await post(fake, { query: REGISTER_CONNECTOR.query, variables: REGISTER_VARIABLES });
  await post(fake, {
    query: "mutation P($id: ID!, $state: String) { pingConnector(id: $id, state: $state) { id } }",
    variables: { id: "c-1", state: '{"cursor":3}' },
  });
  const { json } = await post(fake, {
    query: REGISTER_CONNECTOR.query,
    variables: REGISTER_VARIABLES,
  });
  const answer = (json.data as { registerConnector: { connector_state: string } })
    .registerConnector;
  assert.equal(answer.connector_state, '{"cursor":3}');
  assert.equal(fake.connectors.get("c-1")?.registrations, 2);
});

Deno.test("pinging an unknown connector is a functional error", async () => {
  await using fake = await startFakeOpenCti();
  const { json } = await post(fake, {
    query: "mutation P($id: ID!) { pingConnector(id: $id) { id } }",
    variables: { id: "nobody" },
  });
  assert.equal(firstError(json).name, "FUNCTIONAL_ERROR");
});

Deno.test("a work completes on toProcessed only when no expectation is outstanding", async () => {
  await using fake = await startFakeOpenCti();
  const edit = (field: string, id: string) =>
    post(fake, {
      query: `mutation W($id: ID!) { workEdit(id: $id) { ${field} } }`,
      variables: { id },
    });
  fake.createWork("w-a");
  assert.equal(fake.work("w-a")?.status, "wait");
  await edit("toProcessed", "w-a");
  assert.equal(fake.work("w-a")?.status, "complete");
  assert.equal(fake.work("w-a")?.completedNumber, 0);

  await edit("addExpectations(expectations: 1)", "w-b");
  await edit("toProcessed", "w-b");
  assert.equal(fake.work("w-b")?.status, "wait");
  fake.reportExpectation("w-b", "one object failed");
  assert.equal(fake.work("w-b")?.status, "complete");
  assert.deepEqual(fake.work("w-b")?.errors.map((e) => e.message), ["one object failed"]);
});

Deno.test("failFor answers with a proxy error until the time is up", async () => {
  await using fake = await startFakeOpenCti();
  fake.failFor(60, 504);
  const during = await post(fake, { query: "query About { about { version } }" });
  assert.equal(during.status, 504);
  await new Promise((resolve) => setTimeout(resolve, 80));
  const after = await post(fake, { query: "query About { about { version } }" });
  assert.equal(after.status, 200);
  assert.deepEqual(fake.calls.map((call) => call.status), [504, 200]);
});

Deno.test("only POST <basePath>/graphql is served", async () => {
  await using fake = await startFakeOpenCti({ basePath: "/octi" });
  assert.match(fake.url, /\/octi$/);
  const wrongPath = await fetch(`${fake.url}/api`, { method: "POST", body: "{}" });
  await wrongPath.body?.cancel();
  assert.equal(wrongPath.status, 404);
  const wrongMethod = await fetch(`${fake.url}/graphql`);
  await wrongMethod.body?.cancel();
  assert.equal(wrongMethod.status, 405);
});

Deno.test("seeding an unknown entity type fails with the list of known ones", async () => {
  await using fake = await startFakeOpenCti();
  assert.throws(
    () => fake.addEntity({ standard_id: "x--1", entity_type: "Spaceship", name: "x" }),
    /does not know entity type "Spaceship"; known GraphQL types: .*IPv4Addr/,
  );
  assert.throws(
    () => fake.addEntity({ standard_id: "ipv4-addr--1", entity_type: "IPv4-Addr" }),
    /needs observable_value/,
  );
});

Deno.test("the fake serves a thousand sequential calls quickly", async () => {
  await using fake = await startFakeOpenCti({ recordCalls: false });
  const started = performance.now();
  for (let i = 0; i < 1000; i++) {
    const { json } = await post(fake, {
      query: "mutation W($id: ID!) { workEdit(id: $id) { ping } }",
      variables: { id: `w-${i % 10}` },
    });
    assert.equal(json.errors, undefined);
  }
  const elapsed = performance.now() - started;
  assert.equal(fake.calls.length, 0);
  assert.ok(elapsed < 5000, `took ${Math.round(elapsed)} ms`);
});
