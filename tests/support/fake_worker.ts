/**
 * A stand-in for the OpenCTI worker: consumes connectors' push queues,
 * decodes each one-object bundle, keeps the objects per work, and reports
 * each as imported to the fake platform, so works complete as they would.
 *
 * @module
 */

import { type AMQPChannel, AMQPClient } from "@cloudamqp/amqp-client";
import { decodePushContent, type PushMessage } from "../../lib/connector/mod.ts";
import type { StixObject } from "../../lib/stix/mod.ts";
import type { FakeOpenCti } from "../fake_opencti/mod.ts";
import { connectorQueues, TEST_BROKER_URL } from "./platform_queues.ts";

/** A running fake worker. */
export interface FakeWorker {
  /** Objects imported per work id. */
  readonly objects: Map<string, StixObject[]>;
  /** Messages consumed. */
  readonly consumed: number;
  /** Stops consuming and closes the connection. */
  close(): Promise<void>;
}

/** Starts consuming the push queues of `connectorIds`. */
export async function startFakeWorker(
  octi: FakeOpenCti,
  connectorIds: readonly string[],
  options: { url?: string; prefetch?: number; keepObjects?: boolean } = {},
): Promise<FakeWorker> {
  const client = new AMQPClient(options.url ?? TEST_BROKER_URL);
  await client.connect();
  const objects = new Map<string, StixObject[]>();
  let consumed = 0;
  const channels: AMQPChannel[] = [];
  for (const id of connectorIds) {
    const channel = await client.channel();
    await channel.basicQos(options.prefetch ?? 100);
    channels.push(channel);
    await channel.basicConsume(connectorQueues(id).push, { noAck: false }, async (message) => {
      consumed++;
      const push = JSON.parse(message.bodyToString() ?? "{}") as PushMessage;
      const bundle = decodePushContent(push.content) as { objects: StixObject[] };
      if (push.work_id) {
        if (options.keepObjects !== false) {
          const list = objects.get(push.work_id) ?? [];
          list.push(...bundle.objects);
          objects.set(push.work_id, list);
        }
        if (octi.work(push.work_id)) octi.reportExpectation(push.work_id);
      }
      await message.ack();
    });
  }
  return {
    objects,
    get consumed() {
      return consumed;
    },
    async close() {
      for (const channel of channels) await channel.close().catch(() => {});
      await client.close().catch(() => {});
    },
  };
}
