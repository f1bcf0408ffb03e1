/**
 * The broker's own ceiling on this machine, measured with the same AMQP
 * client and wrapper the connector uses: how many persistent messages per
 * second it confirms when published pipelined, and how many per second a
 * consumer receives and acks. The connector's traffic is read as a fraction
 * of these.
 *
 * @module
 */

import { connectorQueues, PlatformBroker } from "../tests/support/platform_queues.ts";
import { connectLocalBroker } from "./world.ts";

/** Rates in messages per second. */
export interface BrokerCeiling {
  messages: number;
  bodyBytes: number;
  publishConfirmPerSecond: number;
  consumeAckPerSecond: number;
}

/** Publishes `messages` bodies of `bodyBytes` with confirms, then consumes and acks them all. */
export async function measureBrokerCeiling(
  options: { messages: number; bodyBytes: number; prefetch: number },
): Promise<BrokerCeiling> {
  const platform = await PlatformBroker.open();
  const id = crypto.randomUUID();
  await platform.declare(id);
  const queues = connectorQueues(id);
  const broker = await connectLocalBroker("bench-broker");
  try {
    const body = "x".repeat(options.bodyBytes);
    const window = 500;
    const publishStart = performance.now();
    for (let start = 0; start < options.messages; start += window) {
      const batch: Promise<void>[] = [];
      for (let index = start; index < Math.min(options.messages, start + window); index++) {
        batch.push(broker.publish(queues.listenExchange, queues.listenRouting, body));
      }
      await Promise.all(batch);
    }
    const publishSeconds = (performance.now() - publishStart) / 1000;

    let received = 0;
    const all = Promise.withResolvers<void>();
    const consumeStart = performance.now();
    const consumer = await broker.consume(
      queues.listen,
      { prefetch: options.prefetch },
      async (delivery) => {
        await delivery.ack();
        if (++received === options.messages) all.resolve();
      },
    );
    await all.promise;
    const consumeSeconds = (performance.now() - consumeStart) / 1000;
    await consumer.cancel();
    return {
      messages: options.messages,
      bodyBytes: options.bodyBytes,
      publishConfirmPerSecond: options.messages / publishSeconds,
      consumeAckPerSecond: options.messages / consumeSeconds,
    };
  } finally {
    await broker.close();
    await platform.delete(id);
    await platform.close();
  }
}
