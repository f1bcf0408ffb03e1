/**
 * Start-up traps past the configuration file: the platform, its TLS, the
 * vendor key, the metrics port and the listen queue. Each runs `check` and
 * `run` as fresh processes against the fake platform on the real RabbitMQ,
 * and asserts the one message (cause and fix) and the exit code the README's
 * troubleshooting table gives.
 */

import assert from "node:assert/strict";
import { runProgram } from "../support/connector_process.ts";
import { freePort } from "../support/ports.ts";
import { assertBothShow, assertShows, troubleshootingRows } from "./_troubleshooting.ts";
import { checkAndRun, startWorld } from "./_world.ts";
import { privateCaServer } from "./_tls.ts";

const rows = await troubleshootingRows();

Deno.test("operator: a refused OpenCTI token is a configuration error naming OPENCTI_TOKEN", async () => {
  await using world = await startWorld();
  const { check, run } = await checkAndRun(world.env({ OPENCTI_TOKEN: "wrong-token-98765" }));
  assertBothShow(rows.get("OpenCTI refuses the token"), { check, run });
  assert.equal(world.octi.connectors.size, 0, "nothing registered with a refused token");
  assert.doesNotMatch(check.stdout + run.stderr, /wrong-token-98765/);
});

Deno.test("operator: an OPENCTI_URL with a wrong base path answers 404 and says what OPENCTI_URL must be", async () => {
  await using world = await startWorld();
  const { check, run } = await checkAndRun(world.env({ OPENCTI_URL: `${world.octi.url}/opencti` }));
  assertBothShow(rows.get("OPENCTI_URL has a wrong base path"), { check, run });
});

Deno.test("operator: an OPENCTI_URL that answers with a redirect is not followed and names the address to set", async () => {
  await using world = await startWorld();
  const redirector = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(null, { status: 308, headers: { location: `${world.octi.url}/graphql` } }),
  );
  try {
    const { check, run } = await checkAndRun(
      world.env({ OPENCTI_URL: `http://127.0.0.1:${redirector.addr.port}` }),
    );
    assertBothShow(rows.get("OPENCTI_URL answers with a redirect"), { check, run });
    assert.match(
      run.stderr,
      new RegExp(`set OPENCTI_URL \\(opencti\\.url\\) to \\\\?"${world.octi.url}`),
    );
    assert.equal(world.octi.calls.length, 0, "the token never reached the redirect's target");
  } finally {
    await redirector.shutdown();
  }
});

Deno.test("operator: an untrusted certificate with OPENCTI_SSL_VERIFY=false names the cause and both fixes, at once", async () => {
  await using world = await startWorld();
  await using server = await privateCaServer();
  const started = Date.now();
  const { check, run } = await checkAndRun(world.env({
    OPENCTI_URL: server.url,
    OPENCTI_SSL_VERIFY: "false",
    OPENCTI_MAX_RETRIES: "6",
  }));
  assertBothShow(
    rows.get(
      "The platform's certificate is signed by a private CA and OPENCTI_SSL_VERIFY is false",
    ),
    { check, run },
  );
  assert.ok(Date.now() - started < 20_000, "not retried as if the platform were down");
});

Deno.test("operator: an unreachable platform is a runtime failure (exit 1) naming host, port and cause", async () => {
  await using world = await startWorld();
  const port = freePort();
  const { check, run } = await checkAndRun(world.env({ OPENCTI_URL: `http://127.0.0.1:${port}` }));
  assertBothShow(rows.get("The platform cannot be reached"), { check, run });
  assert.match(run.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`));
});

Deno.test("operator: a refused vendor key stops start-up before registering, naming SILENTPUSH_API_KEY", async () => {
  await using world = await startWorld();
  const { check, run } = await checkAndRun(world.env({ SILENTPUSH_API_KEY: "wrong-key-13579" }));
  assertBothShow(rows.get("The vendor refuses its API key"), { check, run });
  assert.equal(world.octi.callsOf("RegisterConnector").length, 1, "only check registered");
  assert.doesNotMatch(check.stdout + run.stderr, /wrong-key-13579/);
});

Deno.test("operator: a busy metrics port is a configuration error naming CONNECTOR_METRICS_PORT", async () => {
  await using world = await startWorld();
  using busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (busy.addr as Deno.NetAddr).port;
  const env = world.env({
    CONNECTOR_EXPOSE_METRICS: "true",
    CONNECTOR_METRICS_HOST: "127.0.0.1",
    CONNECTOR_METRICS_PORT: String(port),
  });
  const run = await runProgram(["run"], { env, timeoutMs: 30_000 });
  assertShows(rows.get("The metrics port is taken"), "run", run);
  assert.doesNotMatch(run.stderr, /AddrInUse|at .*\.ts:\d+/, "no stack trace");
});

Deno.test("operator: a listen queue the platform did not create fails check and run with the fix", async () => {
  await using world = await startWorld({ declareQueues: false });
  const { check, run } = await checkAndRun(world.env());
  assertBothShow(rows.get("The listen queue does not exist"), { check, run });
  assert.match(check.stdout, /^FAIL\s+queue\s/m);
});
