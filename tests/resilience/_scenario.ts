/**
 * How the resilience scenarios on the test vendor start: the connector in a
 * harness (optionally reaching RabbitMQ through a TCP proxy the scenario cuts
 * or refuses), the test vendor it calls and the fake worker importing what it
 * pushes; and the check that it still consumes afterwards.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { FakeWorker } from "../support/fake_worker.ts";
import { type Harness, startHarness } from "../support/harness.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp_proxy.ts";
import {
  createTestVendor,
  type TestVendorControl,
  testVendorControl,
} from "../support/test_vendor.ts";
import { buildStream, type Effort, publishAll, reconcile, worker } from "../support/stream.ts";

/** The configuration of the scenarios run with the test vendor. */
export const TEST_VENDOR_YAML = {
  connector: { vendor: "testvendor", name: "Resilience", scope: "IPv4-Addr", concurrency: 16 },
  testvendor: { api_key: "resilience-vendor-key-1" },
};

/** The test vendor in a harness, and the fake worker importing what the connector pushes. */
export interface TestVendorScenario extends AsyncDisposable {
  h: Harness;
  /** What the test vendor does, and the calls it got. */
  control: TestVendorControl;
  fake: FakeWorker;
  /** The vendor calls and bundles so far, for the summary line of `report`. */
  effort(): Effort;
}

/** A {@link TestVendorScenario} whose connector reaches RabbitMQ through a proxy to cut or refuse. */
export interface ProxiedTestVendorScenario extends TestVendorScenario {
  proxy: TcpProxy;
}

/**
 * Starts the test vendor (answering after `latencyMs`, default 0) in a harness
 * on `yaml`, then the fake worker; disposing closes the worker, then the harness.
 */
export function startTestVendorScenario(
  yaml: Record<string, unknown>,
  options: { latencyMs?: number } = {},
): Promise<TestVendorScenario> {
  return startScenario(yaml, options.latencyMs ?? 0, undefined);
}

/**
 * {@link startTestVendorScenario} with a TCP proxy between the connector and
 * RabbitMQ (127.0.0.1:5672); disposing closes the worker, the proxy, then the
 * harness.
 */
export async function startTestVendorBehindProxy(
  yaml: Record<string, unknown>,
  options: { latencyMs?: number } = {},
): Promise<ProxiedTestVendorScenario> {
  const proxy = startTcpProxy({ targetPort: 5672 });
  await proxy.ready;
  try {
    return await startScenario(yaml, options.latencyMs ?? 0, proxy);
  } catch (error) {
    await proxy.close();
    throw error;
  }
}

async function startScenario<P extends TcpProxy | undefined>(
  yaml: Record<string, unknown>,
  latencyMs: number,
  proxy: P,
): Promise<TestVendorScenario & { proxy: P }> {
  const control = testVendorControl();
  control.latencyMs = latencyMs;
  const h = await startHarness({
    vendors: [createTestVendor(control)],
    yaml,
    ...(proxy ? { brokerPort: proxy.port } : {}),
  });
  let fake: FakeWorker;
  try {
    fake = await worker(h.octi, h.connectorIds);
  } catch (error) {
    await h.stop();
    throw error;
  }
  return {
    h,
    control,
    fake,
    proxy,
    effort: () => ({ vendorCalls: control.calls.length, bundles: fake.consumed }),
    async [Symbol.asyncDispose]() {
      try {
        await fake.close();
        await proxy?.close();
      } finally {
        await h.stop();
      }
    },
  };
}

/** Publishes one more message (its value `prefix`.0.0) and asserts it is pushed within 20 s. */
export async function assertStillConsuming(
  h: Harness,
  prefix: string,
  message: string,
): Promise<void> {
  const after = buildStream(h.octi, 1, prefix);
  await publishAll(h.platform, h.connectorIds[0]!, after);
  assert.equal((await reconcile(h.octi, after, { timeoutMs: 20_000 })).pushed, 1, message);
}
