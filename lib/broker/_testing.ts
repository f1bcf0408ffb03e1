/**
 * What the adapter's tests share: the local broker's coordinates, a
 * connector's queues declared for one test, a consumer that holds its
 * deliveries, polling.
 *
 * @module
 */

import type { ConsumerHandle, Delivery } from "../connector/mod.ts";
import type { Broker } from "./broker.ts";
import { PlatformBroker, TEST_BROKER } from "../../tests/support/platform_queues.ts";

/** The local test broker. */
export const LOCAL = TEST_BROKER;

/** Runs `body` with a fresh connector's queues declared, deleting them after. */
export async function withConnector(
  body: (context: { id: string; platform: PlatformBroker }) => Promise<void>,
): Promise<void> {
  const id = crypto.randomUUID();
  const platform = await PlatformBroker.open();
  await platform.declare(id);
  try {
    await body({ id, platform });
  } finally {
    await platform.delete(id);
    await platform.close();
  }
}

/** Consumes `queue`, keeping every delivery, unsettled, in `held` (in arrival order). */
export async function holdDeliveries(
  broker: Broker,
  queue: string,
  prefetch: number,
): Promise<{ held: Delivery[]; consumer: ConsumerHandle }> {
  const held: Delivery[] = [];
  const consumer = await broker.consume(queue, { prefetch }, (delivery) => {
    held.push(delivery);
    return Promise.resolve();
  });
  return { held, consumer };
}

/** A test message's JSON body. */
export function bodyOf(delivery: Delivery): { n: number } {
  return JSON.parse(new TextDecoder().decode(delivery.body));
}

/** Polls `predicate` every 20 ms; throws after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("Timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
