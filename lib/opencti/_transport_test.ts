import assert from "node:assert/strict";
import { captureLogger } from "../log/testing.ts";
import { startFakeOpenCti } from "../../tests/fake_opencti/mod.ts";
import type { OpenCtiClient, OpenCtiClientOptions } from "./client.ts";
import { harness, rejection, testClient, TOKEN } from "./_test_harness.ts";

/** A client of a platform that has just shut down: its port refuses connections. */
async function unreachableClient(extra: Partial<OpenCtiClientOptions>): Promise<OpenCtiClient> {
  const fake = await startFakeOpenCti();
  const url = fake.url;
  await fake.close();
  return testClient({ url, ...extra });
}

/** Aborts `controller` 100 ms into `call`, which must then end within a second with the reason. */
async function assertStopEndsCall(
  controller: AbortController,
  call: () => Promise<unknown>,
): Promise<void> {
  const reason = new Error("stopping");
  const started = performance.now();
  setTimeout(() => controller.abort(reason), 100);
  await assert.rejects(call(), (error) => error === reason);
  assert.ok(performance.now() - started < 1_000, "ended within a second");
}

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

Deno.test("a refused connection fails as a transient network error after retries", async () => {
  const delays: number[] = [];
  const client = await unreachableClient({
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
    /Cannot reach OpenCTI at "http:\/\/127\.0\.0\.1:\d+\/graphql" for "About": connection refused/,
  );
  assert.match(error.message, /gave up after 3 attempts/);
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
  const client = testClient({
    url: "http://platform.invalid",
    fetch: async (_input, init) => {
      bodies.push(JSON.parse(String(init?.body)));
      return await Promise.resolve(Response.json({ data: { about: { version: "6.8.10" } } }));
    },
  });
  assert.equal((await client.about()).version, "6.8.10");
  assert.deepEqual(Object.keys(bodies[0]!).sort(), ["query", "variables"]);
  assert.match(String(bodies[0]!.query), /query About/);
});

Deno.test("the token never appears in errors or logs, even when a proxy echoes it", async () => {
  const messages: string[] = [];
  const log = captureLogger();
  const client = testClient({
    url: "http://platform.invalid",
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
  assert.match(everything, /bad gateway, you sent Bearer \[REDACTED\]/);
  assert.ok(!everything.includes(TOKEN));
});

Deno.test("the stop signal ends a pause between retries at once, with the signal's reason", async () => {
  const controller = new AbortController();
  const client = await unreachableClient({
    retry: { maxRetries: 6, baseDelayMs: 20_000, maxDelayMs: 20_000 },
    signal: controller.signal,
  });
  await assertStopEndsCall(controller, () => client.about());
});

Deno.test("the stop signal ends a call in flight at once, with the signal's reason", async () => {
  await using h = await harness();
  h.fake.setLatency(10_000);
  const controller = new AbortController();
  const client = testClient({
    url: h.fake.url,
    logger: h.log.logger,
    signal: controller.signal,
  });
  await assertStopEndsCall(controller, () => client.about());
  h.fake.setLatency(0);
});

Deno.test("an already aborted signal sends nothing", async () => {
  await using h = await harness();
  const reason = new Error("stopped");
  const client = testClient({
    url: h.fake.url,
    logger: h.log.logger,
    signal: AbortSignal.abort(reason),
  });
  await assert.rejects(client.about(), (error) => error === reason);
  assert.equal(h.fake.calls.length, 0);
});
