import assert from "node:assert/strict";
import { SecretRedactor } from "../log/mod.ts";
import { startFakeOpenCti } from "../../tests/fake_opencti/mod.ts";
import { harness, rejection, testClient } from "./_test_harness.ts";

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
  const client = testClient({
    url: h.fake.url,
    token: "wrong-token-abc",
    logger: h.log.logger,
  });
  const error = await rejection(client.about());
  assert.equal(error.kind, "auth");
  assert.equal(error.code, "AUTH_REQUIRED");
  assert.equal(error.transient, false);
  assert.ok(!error.message.includes("wrong-token-abc"));
  assert.equal(h.fake.calls.length, 1);
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

Deno.test("answers of the wrong shape fail as invalid_response", async () => {
  const answers = [
    { body: '{"data":{"about":null}}', pattern: /unexpected shape at "about"/ },
    { body: "not json at all", pattern: /not a GraphQL response/ },
  ];
  for (const { body, pattern } of answers) {
    const client = testClient({
      url: "http://platform.invalid",
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

Deno.test("an unlicensed LTS platform fails at once as licence, saying an administrator must activate it", async () => {
  await using h = await harness({ version: "7.260309.0-lts1", requireLtsActivation: true });
  const error = await rejection(h.client.about());
  assert.equal(error.kind, "licence");
  assert.equal(error.transient, false);
  assert.equal(error.code, "LTS_REQUIRED_ACTIVATION");
  assert.match(error.message, /You must activate your LTS license/);
  assert.match(error.message, /refuses every request until its LTS licence is activated/);
  assert.match(error.message, /administrator activates it in the platform's settings/);
  assert.equal(h.fake.calls.length, 1);
});

Deno.test("a licence refusal among other errors still reads as licence", async () => {
  const client = testClient({
    url: "http://platform.invalid",
    fetch: () =>
      Promise.resolve(Response.json({
        errors: [
          { message: "Something else", extensions: { code: "UNKNOWN_ERROR" } },
          { message: "You must activate your LTS license.", name: "LtsRequiredActivation" },
        ],
        data: null,
      })),
  });
  const error = await rejection(client.about());
  assert.equal(error.kind, "licence");
  assert.equal(error.code, "LtsRequiredActivation");
});

Deno.test("OPENCTI_URL ending in /graphql gets a 404 that says to use the base URL", async () => {
  await using h = await harness();
  const client = testClient({
    url: `${h.fake.url}/graphql`,
    logger: h.log.logger,
  });
  const error = await rejection(client.about());
  assert.equal(error.kind, "http");
  assert.equal(error.status, 404);
  assert.equal(error.transient, false);
  assert.ok(error.message.includes(`"${h.fake.url}/graphql/graphql"`), error.message);
  assert.match(error.message, /OPENCTI_URL .* must be the platform's base URL/);
  assert.match(error.message, /without "\/graphql"/);
  assert.equal(h.fake.calls.length, 0, "nothing reached the GraphQL endpoint");
});

Deno.test("HTTP 401 and 403 from a proxy are auth refusals naming OPENCTI_TOKEN, without retry", async () => {
  for (const status of [401, 403]) {
    let calls = 0;
    const client = testClient({
      url: "http://platform.invalid",
      sleep: () => Promise.resolve(),
      fetch: () => {
        calls += 1;
        return Promise.resolve(new Response("Unauthorized", { status }));
      },
    });
    const error = await rejection(client.about());
    assert.equal(error.kind, "auth", String(status));
    assert.equal(error.status, status);
    assert.equal(error.transient, false);
    assert.match(error.message, /OPENCTI_TOKEN/);
    assert.match(error.message, /permissions/);
    assert.equal(calls, 1);
  }
});

Deno.test("a refused token names OPENCTI_TOKEN and the user's permissions", async () => {
  await using h = await harness();
  h.fake.injectError("About", {
    message: "You must be logged in to do this.",
    code: "AUTH_REQUIRED",
  });
  const error = await rejection(h.client.about());
  assert.equal(error.kind, "auth");
  assert.match(error.message, /check OPENCTI_TOKEN, and that the token's user has the permissions/);
});

Deno.test("an unknown host fails as a transient network error that says the name does not resolve", async () => {
  await using h = await harness({}, { url: "http://no-such-platform.invalid:8080" });
  const error = await rejection(h.client.about());
  assert.equal(error.kind, "network");
  assert.equal(error.transient, true);
  assert.match(error.message, /"http:\/\/no-such-platform\.invalid:8080\/graphql"/);
  assert.match(error.message, /does not resolve/);
  assert.doesNotMatch(error.message, /fetch failed/);
  assert.equal(h.delays.length, 3, "retried");
});

Deno.test("network errors show the URL without the credentials embedded in it", async () => {
  const fake = await startFakeOpenCti();
  const port = fake.port;
  await fake.close();
  const client = testClient({
    url: `http://admin:s3cret-pass@127.0.0.1:${port}`,
    retry: { maxRetries: 0 },
  });
  const error = await rejection(client.about());
  assert.match(error.message, new RegExp(`"http://127\\.0\\.0\\.1:${port}/graphql"`));
  assert.ok(!error.message.includes("s3cret-pass"));
});

Deno.test("a caller's redactor masks its secrets in the platform's error messages", async () => {
  const redactor = new SecretRedactor();
  redactor.add("mq-password-77");
  await using h = await harness({}, { redactor });
  h.fake.injectError("About", { message: "broker mq-password-77 refused", code: "UNKNOWN_ERROR" });
  const error = await rejection(h.client.about());
  assert.match(error.message, /broker \[REDACTED\] refused/);
});
