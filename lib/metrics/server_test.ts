import assert from "node:assert/strict";
import { ConfigError } from "../errors/mod.ts";
import { ConnectorMetrics } from "./connector_metrics.ts";
import { startMetricsServer } from "./server.ts";

const NO_METRICS = { metrics: () => "", ready: () => true };

Deno.test("the listener serves /metrics, /healthz and a /readyz that follows readiness", async () => {
  const metrics = new ConnectorMetrics({ namespace: "opencti" });
  let ready = false;
  const server = startMetricsServer({
    port: 0,
    host: "127.0.0.1",
    metrics: () => metrics.registry.render(),
    ready: () => ready,
  });
  try {
    const base = `http://127.0.0.1:${server.port}`;
    metrics.messageStarted("silentpush");
    metrics.messageFinished("silentpush", "enriched", 0.2);
    metrics.bundlesSent(4);
    const scrape = await fetch(`${base}/metrics`);
    assert.equal(scrape.status, 200);
    assert.match(scrape.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const text = await scrape.text();
    assert.match(text, /^opencti_bundles_sent_total 4$/m);
    assert.match(text, /^opencti_enrichments_total\{vendor="silentpush",outcome="enriched"\} 1$/m);
    assert.match(text, /^opencti_messages_in_flight 0$/m);

    const statusOf = async (path: string) => {
      const response = await fetch(`${base}${path}`);
      await response.body?.cancel();
      return response.status;
    };
    assert.equal(await statusOf("/healthz"), 200);
    assert.equal(await statusOf("/readyz"), 503);
    ready = true;
    assert.equal(await statusOf("/readyz"), 200);
    assert.equal(await statusOf("/nope"), 404);
  } finally {
    await server.close();
  }
});

Deno.test("the listener binds the configured host, by default every interface", async () => {
  const local = startMetricsServer({ port: 0, host: "127.0.0.1", ...NO_METRICS });
  const everywhere = startMetricsServer({ port: 0, ...NO_METRICS });
  try {
    assert.equal(local.host, "127.0.0.1");
    assert.equal(everywhere.host, "0.0.0.0");
    const health = await fetch(`http://127.0.0.1:${local.port}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
  } finally {
    await local.close();
    await everywhere.close();
  }
});

Deno.test("a busy metrics port is a ConfigError naming CONNECTOR_METRICS_PORT, not a stack trace", () => {
  const taken = Deno.listen({ hostname: "0.0.0.0", port: 0 });
  try {
    const port = taken.addr.port;
    assert.throws(() => startMetricsServer({ port, ...NO_METRICS }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.issues, [{
        path: "connector.metrics_port",
        env: "CONNECTOR_METRICS_PORT",
        message:
          `port ${port} is already in use on 0.0.0.0; choose another CONNECTOR_METRICS_PORT or stop the other process`,
      }]);
      assert.ok(error.cause instanceof Deno.errors.AddrInUse);
      return true;
    });
  } finally {
    taken.close();
  }
});

Deno.test("an address the machine does not have is a ConfigError naming CONNECTOR_METRICS_HOST", () => {
  for (
    const [host, why] of [["192.0.2.1", /not an address of this machine/], [
      "no-such-host.invalid",
      /does not resolve/,
    ]] as const
  ) {
    assert.throws(() => startMetricsServer({ port: 0, host, ...NO_METRICS }), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.equal(error.issues[0]?.env, "CONNECTOR_METRICS_HOST");
      assert.equal(error.issues[0]?.path, "connector.metrics_host");
      assert.match(error.message, why);
      return true;
    });
  }
});
