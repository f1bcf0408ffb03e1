/**
 * A real RabbitMQ stop and start while works are in flight: the connector
 * reconnects, finishes what it had, acks what the broker redelivers without
 * asking the vendor again, and nothing is lost. It restarts the shared
 * broker, so it runs on its own, after the parallel suite (`deno task test`
 * runs tests/serial/ last, one file at a time).
 */

import assert from "node:assert/strict";
import { startHarness } from "../support/harness.ts";
import { PlatformBroker } from "../support/platform_queues.ts";
import { createTestVendor, testVendorControl } from "../support/test_vendor.ts";
import { buildStream, publishAll, reconcile, report, worker } from "../support/stream.ts";

async function rabbitmqctl(...args: string[]): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("rabbitmqctl", {
      args,
      stdout: "null",
      stderr: "null",
    })
      .output();
    return success;
  } catch {
    return false;
  }
}

async function brokerUp(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      (await PlatformBroker.open()).close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error("RabbitMQ did not come back");
}

const canRestart = await rabbitmqctl("status");

Deno.test({
  name: "resilience: RabbitMQ stops and starts with 20 works in flight; none is enriched twice",
  ignore: !canRestart,
  async fn() {
    const control = testVendorControl();
    control.latencyMs = 500;
    const h = await startHarness({
      vendors: [createTestVendor(control)],
      yaml: {
        connector: {
          vendor: "testvendor",
          name: "Restart",
          scope: "IPv4-Addr",
          concurrency: 20,
          delivery_timeout: 120,
        },
        testvendor: { api_key: "restart-vendor-key-1" },
      },
    });
    const connectorId = h.connectorIds[0]!;
    let first = await worker(h.octi, h.connectorIds);
    let consumed = 0;
    try {
      const stream = buildStream(h.octi, 60, "10.99");
      await publishAll(h.platform, connectorId, stream);
      await h.waitFor(() => control.active >= 20, "20 works in flight");
      assert.ok(await rabbitmqctl("stop_app"), "rabbitmqctl stop_app");
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      assert.ok(await rabbitmqctl("start_app"), "rabbitmqctl start_app");
      await brokerUp(60_000);
      consumed += first.consumed;
      await first.close();
      first = await worker(h.octi, h.connectorIds);
      const result = await reconcile(h.octi, stream, { timeoutMs: 120_000 });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      report("RabbitMQ stop/start", result, {
        vendorCalls: control.calls.length,
        bundles: consumed + first.consumed,
      });
      assert.equal(result.pushed, stream.length);
      assert.equal(control.calls.length, stream.length, "one vendor call per message");
      assert.equal(h.runtime.ready, true, "consuming again");
    } finally {
      await first.close();
      await h.stop().catch(() => {});
      const platform = await PlatformBroker.open();
      await platform.delete(connectorId).catch(() => {});
      await platform.close();
    }
  },
});
