import assert from "node:assert/strict";
import type { CutKind } from "../support/tcp_proxy.ts";
import { assertStillConsuming, startTestVendorBehindProxy, TEST_VENDOR_YAML } from "./_scenario.ts";
import { buildStream, publishAll, reconcile, report } from "../support/stream.ts";

const CUTS = 20;

Deno.test("resilience: the broker connection is cut during the reconnection handshake 20 times while messages flow; nothing is lost", async () => {
  await using scenario = await startTestVendorBehindProxy(TEST_VENDOR_YAML, { latencyMs: 10 });
  const { h, proxy } = scenario;
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
  report(`broker cut ${CUTS} times during reconnection`, result, scenario.effort());
  assert.equal(proxy.handshakeCuts, CUTS);
  assert.equal(result.pushed, 400, "a cut reconnection is not a reason for an error");
  assert.ok(
    h.logs.records().some((record) =>
      record.message.startsWith("Ignored an unhandled rejection inside @cloudamqp/amqp-client")
    ),
    "the library's handshake TypeError happened and was contained",
  );
  await assertStillConsuming(h, "10.81", "consuming again after the last cut");
  assert.equal(h.runtime.ready, true);
});
