/**
 * Operators' view of a real run: the connector process with its metrics
 * listener on, a stream of enrichments with every outcome, and `/metrics`,
 * `/healthz` and `/readyz` scraped over HTTP while it works and while it
 * stops.
 */

import assert from "node:assert/strict";
import { scoId } from "../../lib/stix/mod.ts";
import { FAKE_TLP_MARKINGS, startFakeOpenCti } from "../fake_opencti/mod.ts";
import { startFakeSilentPush } from "../fake_vendors/silentpush.ts";
import { buildStream, reconcile, worker } from "../support/stream.ts";
import { startConnectorProcess } from "../support/connector_process.ts";
import { enrichmentMessage } from "../support/enrichment_message.ts";
import { PlatformBroker } from "../support/platform_queues.ts";
import { freePort } from "../support/ports.ts";

/** `name{labels}` → value, from Prometheus text format. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

async function get(port: number, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, text: await response.text() };
}

async function scrape(port: number): Promise<Map<string, number>> {
  const { status, text } = await get(port, "/metrics");
  assert.equal(status, 200);
  return parseMetrics(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("metrics: /metrics, /healthz and /readyz tell an operator what a real run did", async () => {
  const platform = await PlatformBroker.open();
  const octi = await startFakeOpenCti({ onRegister: (id) => platform.declare(id) });
  const api = startFakeSilentPush({ latencyMs: 300 });
  const connectorId = crypto.randomUUID();
  const port = freePort();
  let drain: Awaited<ReturnType<typeof worker>> | undefined;
  try {
    const connector = await startConnectorProcess({
      opencti: { url: octi.url, token: octi.token },
      connector: {
        vendor: "silentpush",
        id: connectorId,
        scope: "IPv4-Addr",
        concurrency: 4,
        log_level: "info",
        expose_metrics: true,
        metrics_port: port,
        metrics_namespace: "octi",
        metrics_subsystem: "enrich",
      },
      silentpush: { api_key: api.apiKey, api_base_url: api.url, max_tlp: "TLP:AMBER" },
    });
    await connector.consuming;
    drain = await worker(octi, [connectorId]);
    assert.equal((await get(port, "/healthz")).status, 200);
    assert.equal((await get(port, "/readyz")).status, 200, "ready once consuming");
    const idle = await scrape(port);
    assert.equal(idle.get("octi_enrich_ready"), 1);
    assert.equal(idle.get("octi_enrich_messages_in_flight"), 0);
    assert.equal(
      idle.get("octi_enrich_bundles_sent_total"),
      0,
      "pycti's counters exist from the start",
    );

    // Twelve enrichable addresses, one over the TLP ceiling, one out of scope, one malformed.
    const stream = buildStream(octi, 12, "10.90");
    const red = octi.addEntity({
      standard_id: scoId("ipv4-addr", { value: "10.91.0.1" }),
      entity_type: "IPv4-Addr",
      observable_value: "10.91.0.1",
      objectMarking: [FAKE_TLP_MARKINGS["TLP:RED"]!],
    });
    const domain = octi.addEntity({
      standard_id: scoId("domain-name", { value: "example.org" }),
      entity_type: "Domain-Name",
      observable_value: "example.org",
    });
    const extra = [red, domain].map((entity) => ({
      value: entity.observable_value!,
      ...enrichmentMessage(octi, entity),
    }));
    for (const item of [...stream, ...extra]) {
      await platform.publishEnrichment(connectorId, item.body);
    }
    await platform.publishRaw(connectorId, "{not json");

    // Mid-run: the vendor answers in 300 ms, so work is visibly in flight.
    let busiest = 0;
    while (api.requests.length < 12 && busiest < 4) {
      busiest = Math.max(busiest, (await scrape(port)).get("octi_enrich_messages_in_flight")!);
      await sleep(20);
    }
    assert.ok(busiest >= 2, `messages_in_flight showed concurrent work (max seen ${busiest})`);

    const result = await reconcile(octi, [...stream, ...extra], { timeoutMs: 30_000 });
    assert.equal(result.lost, 0);
    let after = await scrape(port);
    for (let tries = 0; tries < 50 && after.get("octi_enrich_messages_in_flight") !== 0; tries++) {
      await sleep(50);
      after = await scrape(port);
    }
    const count = (outcome: string) =>
      after.get(`octi_enrich_enrichments_total{vendor="silentpush",outcome="${outcome}"}`) ?? 0;
    assert.equal(count("enriched"), 12);
    assert.equal(count("refused_tlp"), 1);
    assert.equal(count("skipped_scope"), 1);
    assert.equal(count("error"), 1, "the malformed message");
    assert.equal(after.get("octi_enrich_messages_in_flight"), 0);
    const expected = stream.reduce((sum, item) => sum + octi.work(item.workId)!.expectations, 0);
    assert.ok(expected > 12);
    assert.equal(
      after.get("octi_enrich_bundles_sent_total"),
      expected,
      "every split bundle counted",
    );
    assert.equal(
      after.get('octi_enrich_vendor_requests_total{vendor="silentpush",status="200"}'),
      api.requests.length,
      "one count per vendor request",
    );
    assert.ok(api.requests.length >= 12);
    assert.ok((after.get("octi_enrich_errors_total") ?? 0) >= 1);
    assert.equal(
      after.get('octi_enrich_enrichment_duration_seconds_count{vendor="silentpush"}'),
      15,
      "every finished message timed",
    );
    assert.equal(after.get("octi_enrich_broker_reconnects_total"), 0);
    const rss = after.get("octi_enrich_process_resident_memory_bytes")!;
    const heap = after.get("octi_enrich_process_heap_used_bytes")!;
    assert.ok(rss > 10 * 2 ** 20 && rss < 2 ** 32, `a plausible resident memory (${rss})`);
    assert.ok(heap > 0 && heap < rss, `heap in use below resident memory (${heap})`);

    // Stopping: /readyz turns 503 at once while in-flight work finishes.
    const slow = buildStream(octi, 4, "10.92");
    for (const item of slow) await platform.publishEnrichment(connectorId, item.body);
    while (api.requests.length < 12 + 4) await sleep(10);
    connector.kill("SIGTERM");
    let notReady = false;
    let alive = false;
    for (let tries = 0; tries < 100 && !notReady; tries++) {
      const ready = await get(port, "/readyz").catch(() => undefined);
      if (ready?.status === 503) {
        notReady = true;
        alive = (await get(port, "/healthz")).status === 200;
      }
      await sleep(5);
    }
    assert.ok(notReady, "/readyz answered 503 once the connector was told to stop");
    assert.ok(alive, "/healthz still answered while draining");
    assert.equal(await connector.exited, 0);
    assert.ok(
      slow.every((item) => octi.work(item.workId)?.processedTime),
      "in-flight work finished",
    );
    await assert.rejects(get(port, "/healthz"), "the listener is closed after exit");
  } finally {
    await drain?.close();
    await platform.delete(connectorId);
    await platform.close();
    await api.close();
    await octi.close();
  }
});
