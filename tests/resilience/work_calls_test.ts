/**
 * Platform and broker blips never repeat the vendor's work: each work call
 * answering 502 for longer than the client's own retries, a message
 * delivered twice, and a broker unreachable for 12 s while works are in
 * flight — each enrichment still costs one vendor call and one set of
 * bundles, and nothing is lost.
 */

import assert from "node:assert/strict";
import { startTestVendorBehindProxy, startTestVendorScenario } from "./_scenario.ts";
import { buildStream, publishAll, reconcile, report } from "../support/stream.ts";

const YAML = {
  connector: {
    vendor: "testvendor",
    name: "Blips",
    scope: "IPv4-Addr",
    concurrency: 8,
    delivery_timeout: 60,
  },
  testvendor: { api_key: "blips-vendor-key-1" },
};

/** Bundles the test vendor's enrichment of one IPv4 becomes. */
async function bundlesOfOne(): Promise<number> {
  await using scenario = await startTestVendorScenario(YAML);
  const { h, fake } = scenario;
  const stream = buildStream(h.octi, 1, "10.80");
  await publishAll(h.platform, h.connectorIds[0]!, stream);
  await reconcile(h.octi, stream, { timeoutMs: 20_000 });
  await h.waitFor(() => fake.consumed > 0, "the bundles");
  await new Promise((resolve) => setTimeout(resolve, 200));
  return fake.consumed;
}

const OPERATIONS = ["WorkToReceived", "ReadEntity", "WorkAddExpectations", "WorkToProcessed"];

Deno.test("resilience: 502 on each work call, past the client's retries; one vendor call per message", async (t) => {
  const expected = await bundlesOfOne();
  for (const [index, operation] of OPERATIONS.entries()) {
    await t.step(operation, async () => {
      await using scenario = await startTestVendorScenario(YAML);
      const { h, control, fake } = scenario;
      const stream = buildStream(h.octi, 10, `10.8${index + 1}`);
      // The harness's client gives up after about 3 s of retries: 6 s outlasts them.
      h.octi.failOperation(operation, { forMs: 6_000 });
      await publishAll(h.platform, h.connectorIds[0]!, stream);
      const result = await reconcile(h.octi, stream, { timeoutMs: 90_000 });
      await h.waitFor(() => fake.consumed >= expected * stream.length, "every bundle", 20_000);
      report(`502 on ${operation}`, result, scenario.effort());
      assert.equal(result.pushed, stream.length, "a blip is not a reason for an error");
      assert.equal(control.calls.length, stream.length, "one vendor call per message");
      assert.equal(fake.consumed, expected * stream.length, "one set of bundles per message");
    });
  }
});

Deno.test("resilience: every message delivered twice; each is enriched once", async () => {
  const expected = await bundlesOfOne();
  await using scenario = await startTestVendorScenario(YAML, { latencyMs: 30 });
  const { h, control, fake } = scenario;
  const stream = buildStream(h.octi, 40, "10.90");
  // Each copy right after the original (in flight at once), then all again (after completion).
  await publishAll(h.platform, h.connectorIds[0]!, [...stream.flatMap((s) => [s, s])]);
  const result = await reconcile(h.octi, stream, { timeoutMs: 60_000 });
  await publishAll(h.platform, h.connectorIds[0]!, stream);
  const listen = `listen_${h.connectorIds[0]}`;
  for (let i = 0; i < 100 && (await h.platform.depth(listen)) > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  report("every message delivered 3 times", result, scenario.effort());
  assert.equal(result.pushed, stream.length);
  assert.equal(control.calls.length, stream.length, "one vendor call per message");
  assert.equal(fake.consumed, expected * stream.length);
  for (const item of stream) {
    assert.equal(h.octi.work(item.workId)!.status, "complete", "no expectation added twice");
  }
});

Deno.test("resilience: the broker is unreachable for 12 s with 20 works in flight; none is enriched twice", async () => {
  const expected = await bundlesOfOne();
  await using scenario = await startTestVendorBehindProxy(
    { ...YAML, connector: { ...YAML.connector, concurrency: 20 } },
    { latencyMs: 300 },
  );
  const { h, proxy, control, fake } = scenario;
  const stream = buildStream(h.octi, 60, "10.95");
  await publishAll(h.platform, h.connectorIds[0]!, stream);
  await h.waitFor(() => control.active >= 20, "20 works in flight");
  proxy.setRefusing(true);
  proxy.cutAll();
  await new Promise((resolve) => setTimeout(resolve, 12_000));
  proxy.setRefusing(false);
  const result = await reconcile(h.octi, stream, { timeoutMs: 120_000 });
  await h.waitFor(() => fake.consumed >= expected * stream.length, "every bundle", 30_000)
    .catch(() => {});
  report("broker unreachable 12 s", result, scenario.effort());
  assert.equal(result.pushed, stream.length);
  assert.equal(control.calls.length, stream.length, "one vendor call per message");
  assert.equal(fake.consumed, expected * stream.length, "one set of bundles per message");
});
