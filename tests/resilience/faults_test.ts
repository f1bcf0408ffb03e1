import assert from "node:assert/strict";
import { VENDORS } from "../../lib/vendors/mod.ts";
import { startFakeSilentPush } from "../fake_vendors/silentpush.ts";
import { startHarness } from "../support/harness.ts";
import { createTestVendor, testVendorControl } from "../support/test_vendor.ts";
import {
  assertStillConsuming,
  startTestVendorBehindProxy,
  startTestVendorScenario,
  TEST_VENDOR_YAML,
} from "./_scenario.ts";
import {
  buildStream,
  publishAll,
  reconcile,
  report,
  vendorCallsFor,
  worker,
} from "../support/stream.ts";

Deno.test("resilience: the broker connection is cut 10 times during a stream; nothing is lost", async () => {
  await using scenario = await startTestVendorBehindProxy(TEST_VENDOR_YAML, { latencyMs: 10 });
  const { h, proxy } = scenario;
  const stream = buildStream(h.octi, 500, "10.20");
  let cuts = 0;
  await publishAll(h.platform, h.connectorIds[0]!, stream, async (index) => {
    if (index % 50 === 25) {
      cuts += proxy.cutAll() > 0 ? 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  });
  const result = await reconcile(h.octi, stream, { timeoutMs: 90_000 });
  report("broker cut 10 times", result, scenario.effort());
  assert.equal(cuts, 10);
  assert.equal(result.pushed, 500, "a broker cut is not a reason for an error");
  assert.ok(h.metrics.brokerReconnects.value() >= 10);
  await assertStillConsuming(h, "10.21", "still consuming");
});

Deno.test("resilience: OpenCTI answers 502 for 20 seconds mid-stream; nothing is lost", async () => {
  await using scenario = await startTestVendorScenario(TEST_VENDOR_YAML, { latencyMs: 20 });
  const { h, control } = scenario;
  const stream = buildStream(h.octi, 300, "10.30");
  await publishAll(h.platform, h.connectorIds[0]!, stream, async (index) => {
    if (index === 100) h.octi.failFor(20_000, 502);
    if (index >= 100) await new Promise((resolve) => setTimeout(resolve, 5));
  });
  const result = await reconcile(h.octi, stream, { timeoutMs: 120_000 });
  report("OpenCTI 502 for 20 s", result, scenario.effort());
  assert.equal(result.pushed, 300);
  assert.ok(h.octi.calls.some((call) => call.status === 502), "the outage was felt");
  assert.equal(control.calls.length, 300, "no enrichment repeated because of the outage");
  assert.equal(h.runtime.ready, true);
});

Deno.test("resilience: the vendor answers 429 with Retry-After for a burst, then recovers", async () => {
  await using api = startFakeSilentPush();
  await using h = await startHarness({
    vendors: VENDORS,
    yaml: {
      connector: { vendor: "silentpush", concurrency: 8 },
      silentpush: { api_key: api.apiKey, api_base_url: api.url, max_retries: 5 },
    },
  });
  const fake = await worker(h.octi, h.connectorIds);
  try {
    api.failNext(30, 429, { "retry-after": "1" });
    const stream = buildStream(h.octi, 100, "10.40");
    await publishAll(h.platform, h.connectorIds[0]!, stream);
    const result = await reconcile(h.octi, stream, { timeoutMs: 90_000 });
    report("vendor 429 burst", result, {
      vendorCalls: vendorCallsFor(api.requests, stream),
      bundles: fake.consumed,
    });
    assert.equal(result.pushed, 100);
    assert.ok(h.metrics.vendorRetries.value({ vendor: "silentpush" }) >= 30);
    assert.equal(h.metrics.vendorRequests.value({ vendor: "silentpush", status: "429" }), 30);
  } finally {
    await fake.close();
  }
});

Deno.test("resilience: 1,000 malformed or hostile messages in a normal stream; each acked with a reason", async () => {
  await using scenario = await startTestVendorScenario(TEST_VENDOR_YAML);
  const { h } = scenario;
  const good = buildStream(h.octi, 200, "10.50");
  const hostile = hostileMessages(1000);
  const id = h.connectorIds[0]!;
  for (let i = 0; i < hostile.length; i++) {
    await h.platform.publishRaw(id, hostile[i]!);
    if (i % 5 === 0) await h.platform.publishEnrichment(id, good[i / 5]!.body);
  }
  const result = await reconcile(h.octi, good, { timeoutMs: 90_000 });
  report("1,000 hostile messages", result, scenario.effort());
  assert.equal(result.pushed, 200, "the good ones are still enriched");
  await h.waitFor(
    () =>
      h.metrics.enrichments.value({ vendor: "testvendor", outcome: "error" }) +
          h.metrics.enrichments.value({ vendor: "testvendor", outcome: "skipped_scope" }) >= 1000,
    "every hostile message to be settled",
    60_000,
  );
  const reasons = h.logs.records().filter((r) =>
    r.message === "Message rejected" ||
    r.message === "Error in message processing, reporting error to API" ||
    r.message === "Entity not enriched"
  );
  assert.ok(reasons.length >= 1000, `${reasons.length} logged reasons`);
  assert.ok(
    reasons.every((r) => r.attributes?.reason !== undefined || r.attributes?.error !== undefined),
  );
  assert.equal(await h.platform.depth(`listen_${id}`), 0);
  assert.equal(h.runtime.ready, true);
});

Deno.test("resilience: captured logs never contain the OpenCTI token, a vendor key or the AMQP password", async () => {
  const control = testVendorControl();
  control.fail = "auth";
  const key = "resilience-vendor-key-1";
  await using h = await startHarness({
    vendors: [createTestVendor(control)],
    yaml: TEST_VENDOR_YAML,
  });
  const stream = buildStream(h.octi, 5, "10.60");
  await publishAll(h.platform, h.connectorIds[0]!, stream);
  h.octi.failNext(3, 502);
  await reconcile(h.octi, stream, { timeoutMs: 20_000 });
  const text = h.logs.lines.join("\n");
  assert.ok(h.logs.lines.length > 20);
  for (const secret of [h.octi.token, key, "guest:guest"]) {
    assert.ok(!text.includes(secret), `a log line holds ${secret.slice(0, 4)}…`);
  }
});

/** Fuzzed JSON, wrong types, huge strings, deep nesting, unknown types and missing ids. */
function hostileMessages(count: number): Array<string | Uint8Array> {
  const makers: Array<(i: number) => string | Uint8Array> = [
    (i) => `{"internal": {"work_id": null}, "event": ${"[".repeat(i % 7)}`,
    () => new Uint8Array([0xc3, 0x28, 0xff, 0xfe]),
    () => JSON.stringify({ internal: 5, event: "x" }),
    () =>
      JSON.stringify({ internal: {}, event: { event_type: "INTERNAL_ENRICHMENT", entity_id: 12 } }),
    (i) =>
      JSON.stringify({
        internal: {},
        event: { event_type: "X", entity_id: "x".repeat(10_000 + i), entity_type: "IPv4-Addr" },
      }),
    () => "[".repeat(5000) + "]".repeat(5000),
    () =>
      JSON.stringify({
        internal: { work_id: null },
        event: { event_type: "INTERNAL_ENRICHMENT", entity_type: "IPv4-Addr" },
      }),
    (i) =>
      JSON.stringify({
        internal: { work_id: null },
        event: {
          event_type: "INTERNAL_ENRICHMENT",
          entity_id: `weird-type--${i}`,
          entity_type: "Weird-Type",
        },
      }),
    () => JSON.stringify({ internal: { playbook: { event_id: 1 } }, event: {} }),
    () => "null",
    () =>
      JSON.stringify({
        internal: { work_id: null },
        event: {
          event_type: "INTERNAL_ENRICHMENT",
          entity_id: "ipv4-addr--missing",
          entity_type: "IPv4-Addr",
          stix_entity: '{"type":"ipv4-addr"}',
        },
      }),
    () => "x".repeat(200_000),
  ];
  return Array.from({ length: count }, (_, i) => makers[i % makers.length]!(i));
}
