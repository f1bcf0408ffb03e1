import assert from "node:assert/strict";
import { startHarness } from "../support/harness.ts";
import { type CutKind, startTcpProxy } from "../support/tcp_proxy.ts";
import { createTestVendor, testVendorControl } from "../support/test_vendor.ts";
import { buildStream, publishAll, reconcile, report, worker } from "./_stream.ts";

const TEST_YAML = {
  connector: { vendor: "testvendor", name: "Resilience", scope: "IPv4-Addr", concurrency: 16 },
  testvendor: { api_key: "resilience-vendor-key-1" },
};

const CUTS = 20;

Deno.test("resilience: the broker connection is cut during the reconnection handshake 20 times while messages flow; nothing is lost", async () => {
  const proxy = startTcpProxy({ targetPort: 5672 });
  await proxy.ready;
  const control = testVendorControl();
  control.latencyMs = 10;
  await using h = await startHarness({
    vendors: [createTestVendor(control)],
    yaml: TEST_YAML,
    brokerPort: proxy.port,
  });
  const fake = await worker(h.octi, h.connectorIds);
  try {
    const stream = buildStream(h.octi, 400, "10.80");
    let round = 0;
    await publishAll(h.platform, h.connectorIds[0]!, stream, async (index) => {
      if (index % 20 !== 10 || round >= CUTS) return;
      // Each phase of the handshake in turn: after Connection.Start (the
      // client's Start-Ok then fails), after Tune, after Open-Ok (the cut
      // lands while consumers are being recovered); reset or closed.
      const how: CutKind = round % 2 === 0 ? "reset" : "close";
      proxy.cutHandshakes(1, { afterFrames: 1 + (round % 3), how });
      round++;
      assert.ok(proxy.cutAll() > 0, "the connection to cut is open");
      await h.waitFor(
        () => proxy.handshakeCuts === round && h.metrics.brokerReconnects.value() === round,
        `reconnection ${round} after its cut handshake`,
        20_000,
      );
    });
    const result = await reconcile(h.octi, stream, { timeoutMs: 90_000 });
    report(`broker cut ${CUTS} times during reconnection`, result, {
      vendorCalls: control.calls.length,
      bundles: fake.consumed,
    });
    assert.equal(proxy.handshakeCuts, CUTS);
    assert.equal(result.pushed, 400, "a cut reconnection is not a reason for an error");
    assert.ok(
      h.logs.records().some((record) =>
        record.message.startsWith("Ignored an unhandled rejection inside @cloudamqp/amqp-client")
      ),
      "the library's handshake TypeError happened and was contained",
    );
    const after = buildStream(h.octi, 1, "10.81");
    await publishAll(h.platform, h.connectorIds[0]!, after);
    assert.equal(
      (await reconcile(h.octi, after, { timeoutMs: 20_000 })).pushed,
      1,
      "consuming again after the last cut",
    );
    assert.equal(h.runtime.ready, true);
  } finally {
    await fake.close();
    await proxy.close();
  }
});
