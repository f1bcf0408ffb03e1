/**
 * The AMQP adapter, on `@cloudamqp/amqp-client`'s `AMQPSession`, which
 * reconnects with backoff and re-opens consumers after a connection failure.
 *
 * Choices, and why:
 * - queues and exchanges are only declared passively: the platform owns them
 *   (opencti-protocol.md §2.2) and redeclaring with other arguments would fail;
 * - consumption is manual-ack with prefetch = concurrency, on its own channel;
 *   deliveries are handed over as they arrive, so up to `prefetch` messages are
 *   processed at once and each is acked only when its results are confirmed;
 * - publishing goes through the session's single confirm channel: a publish
 *   resolves when the broker confirmed it, and waits for a reconnection (up to
 *   a deadline) when the connection is down, so a cut does not lose results.
 *
 * @module
 */

import {
  type AMQPChannel,
  type AMQPMessage,
  AMQPSession,
  type AMQPSubscription,
} from "@cloudamqp/amqp-client";
import { BrokerError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import { guardOrphanedConfirms, type RemoveGuard } from "./orphan_confirms.ts";

/** Where and how to connect. */
export interface BrokerOptions {
  host: string;
  port: number;
  vhost: string;
  user: string;
  pass: string;
  useSsl: boolean;
  /** TLS material as PEM text, and whether to verify the broker's certificate. */
  tls?: {
    ca?: string;
    cert?: string;
    key?: string;
    passphrase?: string;
    rejectUnauthorized: boolean;
  };
  /** Heartbeat in seconds (pycti: 10). */
  heartbeatSeconds?: number;
  /** Connection name shown in the RabbitMQ management UI. */
  name?: string;
  /** Reconnection backoff. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  logger: Logger;
  /** Metrics hook. */
  observer?: { reconnect(): void };
}

/** One message from a queue. */
export interface Delivery {
  body: Uint8Array;
  redelivered: boolean;
  deliveryTag: number;
  /** The body as UTF-8 text. */
  bodyText(): string;
  /** Acks; false when the channel died (the broker will redeliver). */
  ack(): Promise<boolean>;
  /** Nacks; false when the channel died (the broker will redeliver). */
  nack(options: { requeue: boolean }): Promise<boolean>;
}

/** A running consumer. */
export interface Consumer {
  /** Stops new deliveries; in-flight ones can still be acked. */
  cancel(): Promise<void>;
}

/** Options of a publish. */
export interface PublishOptions {
  /** Delivery mode 2 (default true). */
  persistent?: boolean;
  contentEncoding?: string;
  headers?: Record<string, unknown>;
  /** How long to wait for a reconnection before failing (default 60 s). */
  timeoutMs?: number;
}

/** A broker connection. */
export interface Broker {
  /** True while connected. */
  readonly connected: boolean;
  /** Consumes an existing queue, handing each delivery to `handler` without waiting for earlier ones. */
  consume(
    queue: string,
    options: { prefetch: number },
    handler: (delivery: Delivery) => Promise<void>,
  ): Promise<Consumer>;
  /** Publishes and resolves once the broker confirmed the message. */
  publish(
    exchange: string,
    routingKey: string,
    body: string | Uint8Array,
    options?: PublishOptions,
  ): Promise<void>;
  /** Called with true/false when the connection comes up or goes down. */
  onConnectionChange(listener: (connected: boolean) => void): void;
  /** Stops reconnecting and closes the connection. */
  close(): Promise<void>;
}

/** Builds the amqp(s) URL; credentials and vhost are percent-encoded. */
export function brokerUrl(options: BrokerOptions): string {
  const scheme = options.useSsl ? "amqps" : "amqp";
  const credentials = `${encodeURIComponent(options.user)}:${encodeURIComponent(options.pass)}`;
  const url = new URL(
    `${scheme}://${credentials}@${hostForUrl(options.host)}:${options.port}/${
      encodeURIComponent(options.vhost)
    }`,
  );
  url.searchParams.set("heartbeat", String(options.heartbeatSeconds ?? 10));
  if (options.name) url.searchParams.set("name", options.name);
  if (options.useSsl && options.tls?.rejectUnauthorized === false) {
    url.searchParams.set("insecure", "");
  }
  return url.toString();
}

/** Where we connect, for messages (never the password). */
export function describeBroker(options: BrokerOptions): string {
  const scheme = options.useSsl ? "amqps" : "amqp";
  return `${scheme}://${
    hostForUrl(options.host)
  }:${options.port} vhost "${options.vhost}" as "${options.user}"`;
}

/** Connects; the first connection must succeed, later failures are retried forever. */
export async function connectBroker(options: BrokerOptions): Promise<Broker> {
  const where = describeBroker(options);
  const listeners: Array<(connected: boolean) => void> = [];
  let connectedOnce = false;
  let connected = false;
  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    for (const listener of listeners) listener(value);
  };
  const logger = options.logger;
  let session: AMQPSession;
  try {
    session = await AMQPSession.connect(brokerUrl(options), {
      reconnectInterval: options.reconnect?.initialDelayMs ?? 1000,
      maxReconnectInterval: options.reconnect?.maxDelayMs ?? 30_000,
      backoffMultiplier: 2,
      maxRetries: 0,
      logger: null,
      ...(options.useSsl ? { tlsOptions: tlsOptionsOf(options) } : {}),
      onconnect: () => {
        if (connectedOnce) {
          logger.info("Reconnected to the broker", { broker: where });
          options.observer?.reconnect();
        }
        connectedOnce = true;
        setConnected(true);
      },
      ondisconnect: (error) => {
        setConnected(false);
        logger.warning("Broker connection lost; reconnecting", {
          broker: where,
          reason: cleanReason(error, options.pass),
        });
      },
    });
  } catch (error) {
    throw new BrokerError(
      `Cannot connect to RabbitMQ at ${where}: ${cleanReason(error, options.pass)}`,
      { cause: scrubbed(error, options.pass), transient: true },
    );
  }
  setConnected(true);
  const client = clientOf(session);
  return new SessionBroker(session, {
    where,
    logger,
    password: options.pass,
    listeners,
    isConnected: () => connected,
    removeGuard: guardOrphanedConfirms(
      (connection) => client === undefined || connection === client,
      logger,
    ),
  });
}

class SessionBroker implements Broker {
  readonly #session: AMQPSession;
  readonly #where: string;
  readonly #logger: Logger;
  readonly #password: string;
  readonly #listeners: Array<(connected: boolean) => void>;
  readonly #isConnected: () => boolean;
  readonly #checkedExchanges = new Set<string>();
  readonly #removeGuard: RemoveGuard;
  #closed = false;

  constructor(
    session: AMQPSession,
    context: {
      where: string;
      logger: Logger;
      password: string;
      listeners: Array<(connected: boolean) => void>;
      isConnected: () => boolean;
      removeGuard: RemoveGuard;
    },
  ) {
    this.#session = session;
    this.#where = context.where;
    this.#logger = context.logger;
    this.#password = context.password;
    this.#listeners = context.listeners;
    this.#isConnected = context.isConnected;
    this.#removeGuard = context.removeGuard;
  }

  get connected(): boolean {
    return !this.#closed && this.#isConnected() && !this.#session.closed;
  }

  onConnectionChange(listener: (connected: boolean) => void): void {
    this.#listeners.push(listener);
  }

  async consume(
    queue: string,
    options: { prefetch: number },
    handler: (delivery: Delivery) => Promise<void>,
  ): Promise<Consumer> {
    let subscription: AMQPSubscription;
    try {
      const handle = await this.#session.queue(queue, { passive: true });
      subscription = await handle.subscribe(
        { prefetch: options.prefetch, manualAck: true },
        (message) => {
          // Not awaited on purpose: each delivery runs on its own.
          handler(this.#delivery(message)).catch((error) =>
            this.#logger.error("Message handler failed", { error, queue })
          );
        },
      );
    } catch (error) {
      throw new BrokerError(
        `Cannot consume queue "${queue}" on ${this.#where}: ${cleanReason(error, this.#password)}`,
        { cause: scrubbed(error, this.#password) },
      );
    }
    return {
      cancel: async () => {
        // basic.cancel only: closing the channel (as the library's cancel()
        // does) would make the acks of in-flight messages fail.
        try {
          await subscription.channel.basicCancel(subscription.consumerTag);
        } catch (error) {
          this.#logger.debug("Consumer already gone", {
            queue,
            reason: cleanReason(error, this.#password),
          });
        }
      },
    };
  }

  async publish(
    exchange: string,
    routingKey: string,
    body: string | Uint8Array,
    options: PublishOptions = {},
  ): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    const properties = {
      deliveryMode: options.persistent === false ? 1 : 2,
      ...(options.contentEncoding ? { contentEncoding: options.contentEncoding } : {}),
      ...(options.headers ? { headers: options.headers as Record<string, string> } : {}),
    };
    for (let attempt = 1;; attempt++) {
      if (this.#closed) {
        throw new BrokerError("Cannot publish: the broker connection is closed", {
          transient: true,
        });
      }
      try {
        await this.#checkExchange(exchange);
        const channel = await confirmChannelOf(this.#session);
        await channel.basicPublish(exchange, routingKey, body, properties);
        return;
      } catch (error) {
        const reason = cleanReason(error, this.#password);
        const down = this.#session.closed || !this.#isConnected();
        if (!down || Date.now() >= deadline) {
          throw new BrokerError(
            `Cannot publish to exchange "${exchange}" (routing key "${routingKey}") on ${this.#where}: ${reason}`,
            { cause: scrubbed(error, this.#password), transient: down },
          );
        }
        this.#logger.debug("Publish waiting for the broker to come back", { attempt, reason });
        await delay(Math.min(200 * attempt, 2000));
      }
    }
  }

  /** Checks once, with a passive declare, that the platform's exchange exists. */
  async #checkExchange(name: string): Promise<void> {
    if (this.#checkedExchanges.has(name)) return;
    await this.#session.exchange(name, "direct", { passive: true });
    this.#checkedExchanges.add(name);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#session.stop();
    } catch (error) {
      this.#logger.debug("Broker close", { reason: cleanReason(error, this.#password) });
    } finally {
      this.#removeGuard();
    }
  }

  #delivery(message: AMQPMessage): Delivery {
    const body = message.body instanceof Uint8Array
      ? message.body
      : new TextEncoder().encode(String(message.body ?? ""));
    const settle = async (action: () => Promise<void>, what: string) => {
      try {
        await action();
        return true;
      } catch (error) {
        this.#logger.debug(`Could not ${what} message; the broker will redeliver it`, {
          delivery_tag: message.deliveryTag,
          reason: cleanReason(error, this.#password),
        });
        return false;
      }
    };
    return {
      body,
      redelivered: message.redelivered,
      deliveryTag: message.deliveryTag,
      bodyText: () => new TextDecoder().decode(body),
      ack: () => settle(() => message.ack(), "ack"),
      nack: ({ requeue }) => settle(() => message.nack(requeue), "nack"),
    };
  }
}

/**
 * The session's publisher-confirm channel. `AMQPExchange.publish` would treat
 * `content-encoding: utf-8` (which pycti sets) as a codec name and refuse it,
 * so results are published on the raw confirm channel the session keeps
 * (a public method of the pinned 4.1.1 release, missing from its typings).
 */
function confirmChannelOf(session: AMQPSession): Promise<AMQPChannel> {
  const withChannel = session as unknown as { getConfirmChannel?: () => Promise<AMQPChannel> };
  if (typeof withChannel.getConfirmChannel !== "function") {
    throw new BrokerError("This @cloudamqp/amqp-client version has no confirm channel accessor");
  }
  return withChannel.getConfirmChannel();
}

/** The session's underlying connection (private in the typings), to recognise its errors. */
function clientOf(session: AMQPSession): unknown {
  return (session as unknown as { client?: unknown }).client;
}

function tlsOptionsOf(options: BrokerOptions) {
  const tls = options.tls;
  return {
    ...(tls?.ca ? { ca: tls.ca } : {}),
    ...(tls?.cert ? { cert: tls.cert } : {}),
    ...(tls?.key ? { key: tls.key } : {}),
    ...(tls?.passphrase ? { passphrase: tls.passphrase } : {}),
  };
}

function hostForUrl(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

/** The error's message with the password (plain or URL-encoded) removed. */
function cleanReason(error: unknown, password: string): string {
  const text = error instanceof Error ? error.message : String(error ?? "connection closed");
  return removeSecret(text, password) || "connection closed";
}

function removeSecret(text: string, secret: string): string {
  if (!secret) return text;
  return text.split(secret).join("[REDACTED]").split(encodeURIComponent(secret)).join(
    "[REDACTED]",
  );
}

/** A copy of the cause that carries no password, so logging it is safe. */
function scrubbed(error: unknown, password: string): Error {
  const message = cleanReason(error, password);
  const copy = new Error(message);
  copy.name = error instanceof Error ? error.name : "Error";
  return copy;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
