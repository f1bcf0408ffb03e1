/**
 * What the OpenCTI platform does on the broker, for tests, the sandbox and the
 * benchmark: declare a connector's exchanges and queues (as the platform does
 * when the connector registers: the direct exchanges `amqp.connector.exchange`
 * and `amqp.worker.exchange`, the durable queues `listen_<id>` and `push_<id>`
 * bound with `listen_routing_<id>` and `push_routing_<id>`; see
 * `registerConnectorQueues` in OpenCTI-Platform/opencti,
 * opencti-platform/opencti-graphql/src/database/rabbitmq.js), publish
 * enrichment messages to its listen queue, and read what it pushed — with
 * `@cloudamqp/amqp-client` directly, as another program would.
 *
 * @module
 */

import { type AMQPChannel, AMQPClient } from "@cloudamqp/amqp-client";

/** The broker tests use. */
export const TEST_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/";

/** The same broker as connection settings, as a registration hands them out. */
export const TEST_BROKER = {
  host: "127.0.0.1",
  port: 5672,
  vhost: "/",
  user: "guest",
  pass: "guest",
  useSsl: false,
};

/** A message read from a push queue. */
export interface ReadMessage {
  body: unknown;
  properties: { deliveryMode?: number | undefined; contentEncoding?: string | undefined };
}

/** A connector's exchanges, queues and routing keys. */
export interface ConnectorQueueNames {
  listenExchange: string;
  pushExchange: string;
  listen: string;
  listenRouting: string;
  push: string;
  pushRouting: string;
}

/** The platform's names for a connector (no queue prefix). */
export function connectorQueues(connectorId: string): ConnectorQueueNames {
  return {
    listenExchange: "amqp.connector.exchange",
    pushExchange: "amqp.worker.exchange",
    listen: `listen_${connectorId}`,
    listenRouting: `listen_routing_${connectorId}`,
    push: `push_${connectorId}`,
    pushRouting: `push_routing_${connectorId}`,
  };
}

/** One connection acting as the platform; close it when done. */
export class PlatformBroker {
  readonly #client: AMQPClient;
  #channel: AMQPChannel | undefined;

  private constructor(client: AMQPClient) {
    this.#client = client;
  }

  /** Connects to `url` (default the local test broker). */
  static async open(url = TEST_BROKER_URL): Promise<PlatformBroker> {
    const client = new AMQPClient(url);
    await client.connect();
    return new PlatformBroker(client);
  }

  async #ch(): Promise<AMQPChannel> {
    if (!this.#channel || this.#channel.closed) {
      this.#channel = await this.#client.channel();
      await this.#channel.confirmSelect();
    }
    return this.#channel;
  }

  /** Declares the exchanges and queues as registerConnector does. */
  async declare(connectorId: string, scope = "IPv4-Addr"): Promise<void> {
    const names = connectorQueues(connectorId);
    const ch = await this.#ch();
    await ch.exchangeDeclare(names.listenExchange, "direct", { durable: true });
    await ch.exchangeDeclare(names.pushExchange, "direct", { durable: true });
    const args = {
      name: connectorId,
      config: JSON.stringify({ id: connectorId, type: "INTERNAL_ENRICHMENT", scope }),
      "x-queue-type": "classic",
    };
    for (
      const [queue, exchange, routing] of [
        [names.listen, names.listenExchange, names.listenRouting],
        [names.push, names.pushExchange, names.pushRouting],
      ] as const
    ) {
      await ch.queueDeclare(queue, { durable: true, exclusive: false, autoDelete: false }, args);
      await ch.queueBind(queue, exchange, routing);
    }
  }

  /** Publishes a JSON enrichment message, persistent, as pushToConnector does. */
  async publishEnrichment(connectorId: string, message: unknown): Promise<void> {
    await this.publishRaw(connectorId, JSON.stringify(message));
  }

  /** Publishes raw bytes or text to the listen queue (for malformed messages). */
  async publishRaw(connectorId: string, body: string | Uint8Array): Promise<void> {
    const names = connectorQueues(connectorId);
    const ch = await this.#ch();
    await ch.basicPublish(names.listenExchange, names.listenRouting, body, { deliveryMode: 2 });
  }

  /** Reads and acks `count` messages of the connector's push queue, or fails after `timeoutMs`. */
  async readPush(
    connectorId: string,
    options: { count: number; timeoutMs: number },
  ): Promise<ReadMessage[]> {
    return await this.read(connectorQueues(connectorId).push, options);
  }

  /** Reads and acks `count` JSON messages of any queue. */
  async read(queue: string, options: { count: number; timeoutMs: number }): Promise<ReadMessage[]> {
    const ch = await this.#client.channel();
    const messages: ReadMessage[] = [];
    try {
      await ch.basicQos(Math.min(Math.max(options.count, 1), 1000));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `Read ${messages.length} of ${options.count} messages from "${queue}" in ${options.timeoutMs} ms`,
            ),
          );
        }, options.timeoutMs);
        if (options.count === 0) {
          clearTimeout(timer);
          resolve();
          return;
        }
        ch.basicConsume(queue, { noAck: false }, async (message) => {
          if (messages.length >= options.count) return;
          messages.push({
            body: JSON.parse(message.bodyToString() ?? "null"),
            properties: {
              deliveryMode: message.properties.deliveryMode,
              contentEncoding: message.properties.contentEncoding,
            },
          });
          await message.ack();
          if (messages.length === options.count) {
            clearTimeout(timer);
            resolve();
          }
        }).catch((error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
    } finally {
      await ch.close().catch(() => {});
    }
    return messages;
  }

  /** Messages waiting in a queue (0 when it does not exist). */
  async depth(queue: string): Promise<number> {
    const ch = await this.#client.channel();
    try {
      const ok = await ch.queueDeclare(queue, { passive: true });
      return ok.messageCount;
    } catch {
      return 0;
    } finally {
      if (!ch.closed) await ch.close().catch(() => {});
    }
  }

  /** Deletes the connector's queues. */
  async delete(connectorId: string): Promise<void> {
    const names = connectorQueues(connectorId);
    const ch = await this.#client.channel();
    try {
      await ch.queueDelete(names.listen);
      await ch.queueDelete(names.push);
    } finally {
      if (!ch.closed) await ch.close().catch(() => {});
    }
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#client.close().catch(() => {});
  }
}

/** One-shot helper: declares a connector's queues on a short-lived connection. */
export function declareConnectorQueues(connectorId: string): Promise<void> {
  return onShortLivedConnection((broker) => broker.declare(connectorId));
}

/** One-shot helper: deletes a connector's queues. */
export function deleteConnectorQueues(connectorId: string): Promise<void> {
  return onShortLivedConnection((broker) => broker.delete(connectorId));
}

async function onShortLivedConnection(
  action: (broker: PlatformBroker) => Promise<void>,
): Promise<void> {
  const broker = await PlatformBroker.open();
  try {
    await action(broker);
  } finally {
    await broker.close();
  }
}
