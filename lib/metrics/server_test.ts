import assert from "node:assert/strict";
import { ConnectorMetrics } from "./connector_metrics.ts";
import { startMetricsServer } from "./server.ts";

Deno.test("the listener serves /metrics, /healthz and a /readyz that follows readiness", async () => {
  const metrics = new ConnectorMetrics({ namespace: "opencti" });
  let ready = false;
  const server = startMetricsServer({
    port: 0,
    hostname: "127.0.0.1",
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

    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const notReady = await fetch(`${base}/readyz`);
    assert.equal(notReady.status, 503);
    await notReady.body?.cancel();
    ready = true;
    const isReady = await fetch(`${base}/readyz`);
    assert.equal(isReady.status, 200);
    await isReady.body?.cancel();
    const missing = await fetch(`${base}/nope`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    await server.close();
  }
});
