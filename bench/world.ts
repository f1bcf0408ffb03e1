/**
 * Everything around the connector under test, on this machine: the real
 * RabbitMQ, the fake OpenCTI (not recording calls), fake Silent Push and ET
 * Intelligence APIs with a configurable latency, a publisher on the same AMQP client the
 * connector uses, and a worker draining the push queues.
 *
 * @module
 */

import { type Broker, connectBroker } from "../lib/broker/mod.ts";
import { createLogger } from "../lib/log/mod.ts";
import { scoId } from "../lib/stix/mod.ts";
import { type FakeOpenCti, startFakeOpenCti } from "../tests/fake_opencti/mod.ts";
import type { FakeVendorServer } from "../tests/fake_vendors/fake_server.ts";
import { startFakeProofpointEt } from "../tests/fake_vendors/proofpoint_et.ts";
import { startFakeSilentPush } from "../tests/fake_vendors/silentpush.ts";
import { enrichmentMessage } from "../tests/support/enrichment_message.ts";
import { type FakeWorker, startFakeWorker } from "../tests/support/fake_worker.ts";
import {
  connectorQueues,
  PlatformBroker,
  TEST_BROKER as LOCAL,
} from "../tests/support/platform_queues.ts";

/** The surroundings of one benchmark session. */
export interface BenchWorld {
  octi: FakeOpenCti;
  vendor: FakeVendorServer;
  /** The fake ET Intelligence API. */
  et: FakeVendorServer;
  platform: PlatformBroker;
  /** Publishes with confirms, as the connector does. */
  publisher: Broker;
  close(): Promise<void>;
}

/** Starts the fakes and connects to the broker. */
export async function startWorld(): Promise<BenchWorld> {
  const platform = await PlatformBroker.open();
  const octi = await startFakeOpenCti({ recordCalls: false });
  const vendor = startFakeSilentPush({ record: false });
  const et = startFakeProofpointEt({ record: false });
  const publisher = await connectLocalBroker("bench");
  return {
    octi,
    vendor,
    et,
    platform,
    publisher,
    async close() {
      await et.close();
      await publisher.close();
      await platform.close();
      await vendor.close();
      await octi.close();
    },
  };
}

/** The local RabbitMQ through lib/broker, the connector's own wrapper (confirms on). */
export function connectLocalBroker(name: string): Promise<Broker> {
  return connectBroker({ ...LOCAL, logger: createLogger({ name, level: "error", json: true }) });
}

/** The vendors the bench can enrich with. */
export type BenchVendor = "silentpush" | "proofpoint-et";

/**
 * The config of a bench connector: the fake platform; the `connector`
 * settings given, with warning logs and metrics on `metricsPort`; and the
 * fake vendor's section with `vendorSettings` added.
 */
export function benchConfig(
  world: BenchWorld,
  connector: { id: string; vendor: BenchVendor; metricsPort: number; concurrency?: number },
  vendorSettings: Record<string, unknown> = {},
): Record<string, unknown> {
  const { metricsPort, ...settings } = connector;
  const api = connector.vendor === "silentpush" ? world.vendor : world.et;
  const section = connector.vendor === "silentpush" ? "silentpush" : "proofpoint_et_intelligence";
  return {
    opencti: { url: world.octi.url, token: world.octi.token },
    connector: {
      ...settings,
      log_level: "warning",
      expose_metrics: true,
      metrics_port: metricsPort,
    },
    [section]: { api_base_url: api.url, api_key: api.apiKey, ...vendorSettings },
  };
}

/** One published enrichment request. */
export interface Request {
  workId: string;
}

/**
 * Declares a fresh connector's queues and fills its listen queue with `count`
 * requests, about `distinct` observables asked again and again (default: all
 * different).
 */
export async function fillQueue(
  world: BenchWorld,
  connectorId: string,
  count: number,
  distinct = count,
): Promise<Request[]> {
  await world.platform.declare(connectorId);
  const queues = connectorQueues(connectorId);
  const requests: Request[] = [];
  const window = 500;
  for (let start = 0; start < count; start += window) {
    const batch: Promise<void>[] = [];
    for (let index = start; index < Math.min(count, start + window); index++) {
      const { body, workId } = ipMessage(world.octi, index % distinct);
      requests.push({ workId });
      batch.push(world.publisher.publish(queues.listenExchange, queues.listenRouting, body));
    }
    await Promise.all(batch);
  }
  return requests;
}

/** A 6.8.9+ enrichment message for an IPv4 address derived from `index`, seeded with its work. */
function ipMessage(octi: FakeOpenCti, index: number): { body: string; workId: string } {
  const value = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  const entity = octi.addEntity({
    standard_id: scoId("ipv4-addr", { value }),
    entity_type: "IPv4-Addr",
    observable_value: value,
  });
  const { body, workId } = enrichmentMessage(octi, entity, { mode: "auto", trigger: "create" });
  return { body: JSON.stringify(body), workId };
}

/** Starts draining a connector's push queue, reporting each import to the fake. */
export function drain(world: BenchWorld, connectorId: string): Promise<FakeWorker> {
  return startFakeWorker(world.octi, [connectorId], { keepObjects: false, prefetch: 500 });
}
