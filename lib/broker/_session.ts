/**
 * The broker connection over one `AMQPSession`: consume, publish with
 * confirms (waiting out a reconnection), check a queue, close.
 *
 * @module
 */

import type {
  AMQPChannel,
  AMQPMessage,
  AMQPSession,
  AMQPSubscription,
} from "@cloudamqp/amqp-client";
import { delay, retry, RetryError } from "../async/mod.ts";
import type { ConsumerHandle, Delivery, PublishOptions } from "../connector/mod.ts";
import { BrokerError } from "../errors/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import { toDelivery } from "./_delivery.ts";
import { isBrokerRefusal, reasonOf, safeCause } from "./_errors.ts";
import type { RemoveGuard } from "./_guard.ts";
import type { Broker } from "./broker.ts";

/**
 * How long the library keeps raising rejections after a connection failed or
 * closed: a broken socket's pending writes fail a tick or two later. The guard
 * stays until then.
 */
export const STRAGGLER_GRACE_MS = 100;

/**
 * A write on a socket the broker just reset fails before the client has
 * noticed the connection is gone; a failed publish waits this long for it to
 * notice before deciding the connection is still up.
 */
const SETTLE_MS = 100;

/** Up, down, or closed for good, with listeners for the changes. */
export class ConnectionState {
  /** True while the connection is open (set by the session's callbacks). */
  connected = false;
  /** True once {@link SessionBroker.close} was called, or the first connection failed. */
  closed = false;
  readonly #listeners: Array<(connected: boolean) => void> = [];

  /** Adds a listener called with each change. */
  listen(listener: (connected: boolean) => void): void {
    this.#listeners.push(listener);
  }

  /** Records the connection going up or down. */
  set(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const listener of this.#listeners) listener(connected);
  }
}

/** What a {@link SessionBroker} works with. */
export interface SessionContext {
  /** Where it is connected, for messages. */
  where: string;
  logger: Logger;
  redactor: Redactor;
  state: ConnectionState;
  removeGuard: RemoveGuard;
  publishWaitMs: number;
}

/** The {@link Broker} over a connected session. */
export class SessionBroker implements Broker {
  readonly #session: AMQPSession;
  readonly #context: SessionContext;
  readonly #checkedExchanges = new Set<string>();

  /** Wraps a connected session. */
  constructor(session: AMQPSession, context: SessionContext) {
    this.#session = session;
    this.#context = context;
  }

  /** True while connected. */
  get connected(): boolean {
    const { state } = this.#context;
    return !state.closed && state.connected && !this.#session.closed;
  }

  /** Called with true/false when the connection comes up or goes down. */
  onConnectionChange(listener: (connected: boolean) => void): void {
    this.#context.state.listen(listener);
  }

  /**
   * Consumes an existing queue, handing each delivery to `handler` without
   * waiting for earlier ones. A delivery's ack and nack resolve `false` instead
   * of throwing when the channel died (the broker redelivers the message).
   */
  async consume(
    queue: string,
    options: { prefetch: number },
    handler: (delivery: Delivery) => Promise<void>,
  ): Promise<ConsumerHandle> {
    const { logger, redactor, where } = this.#context;
    let subscription: AMQPSubscription;
    try {
      const handle = await this.#session.queue(queue, { passive: true });
      subscription = await handle.subscribe(
        { prefetch: options.prefetch, manualAck: true },
        (message: AMQPMessage) => {
          // Not awaited on purpose: each delivery runs on its own.
          handler(toDelivery(message, { logger, redactor })).catch((error) =>
            logger.error("Message handler failed", { error, queue })
          );
        },
      );
    } catch (error) {
      throw new BrokerError(
        `Cannot consume queue "${queue}" on ${where}: ${reasonOf(error, redactor)}`,
        { cause: safeCause(error, redactor), transient: !isBrokerRefusal(error) },
      );
    }
    return {
      cancel: async () => {
        // basic.cancel only: closing the channel (as the library's cancel()
        // does) would make the acks of in-flight messages fail.
        try {
          await subscription.channel.basicCancel(subscription.consumerTag);
        } catch (error) {
          logger.debug("Consumer already gone", { queue, reason: reasonOf(error, redactor) });
        }
      },
    };
  }

  /** Resolves when `queue` exists (a passive declare); rejects with a {@link BrokerError} saying it does not. */
  async checkQueue(queue: string): Promise<void> {
    const { redactor, where } = this.#context;
    try {
      await this.#session.queue(queue, { passive: true });
    } catch (error) {
      const refused = isBrokerRefusal(error);
      throw new BrokerError(
        `${
          refused ? `Queue "${queue}" does not exist` : `Cannot check queue "${queue}"`
        } on ${where}: ${reasonOf(error, redactor)}`,
        { cause: safeCause(error, redactor), transient: !refused },
      );
    }
  }

  /**
   * Publishes and resolves once the broker confirmed the message. While the
   * connection is down it retries until it is back (pauses of 200 ms growing
   * to 2 s), for up to the `publishWaitMs` option; a refusal by the broker,
   * or a closed connection, fails at once.
   */
  async publish(
    exchange: string,
    routingKey: string,
    body: string | Uint8Array,
    options: PublishOptions = {},
  ): Promise<void> {
    const { logger, redactor, where, state } = this.#context;
    const properties = {
      deliveryMode: options.persistent === false ? 1 : 2,
      ...(options.contentEncoding ? { contentEncoding: options.contentEncoding } : {}),
    };
    const attempt = async () => {
      if (state.closed) {
        throw new BrokerError("Cannot publish: the broker connection is closed", {
          transient: true,
        });
      }
      try {
        await this.#checkExchange(exchange);
        const channel = await confirmChannelOf(this.#session);
        await channel.basicPublish(exchange, routingKey, body, properties);
      } catch (error) {
        const refused = isBrokerRefusal(error);
        if (!refused && this.connected) await delay(SETTLE_MS);
        // Transient = the connection is down: worth waiting for the reconnection.
        throw new BrokerError(
          `Cannot publish to exchange "${exchange}" (routing key "${routingKey}") on ${where}: ${
            reasonOf(error, redactor)
          }`,
          { cause: safeCause(error, redactor), transient: !refused && !this.connected },
        );
      }
    };
    try {
      await retry(attempt, {
        maxAttempts: Number.POSITIVE_INFINITY,
        minTimeout: 200,
        maxTimeout: 2_000,
        jitter: 0,
        budgetMs: this.#context.publishWaitMs,
        isRetriable: (error) => error instanceof BrokerError && error.transient && !state.closed,
        onRetry: (error, { attempt }) =>
          logger.debug("Publish waiting for the broker to come back", {
            attempt,
            reason: error instanceof Error ? error.message : String(error),
          }),
      });
    } catch (error) {
      // Out of time while the connection is down: the last failure says why.
      throw error instanceof RetryError ? error.cause : error;
    }
  }

  /** Checks once, with a passive declare, that the platform's exchange exists. */
  async #checkExchange(name: string): Promise<void> {
    if (this.#checkedExchanges.has(name)) return;
    await this.#session.exchange(name, "direct", { passive: true });
    this.#checkedExchanges.add(name);
  }

  /** Stops reconnecting and closes the connection. */
  async close(): Promise<void> {
    const { logger, redactor, state, removeGuard } = this.#context;
    if (state.closed) return;
    const wasConnected = state.connected;
    state.closed = true;
    try {
      await this.#session.stop();
      // A reconnection attempt under way when the session stopped would still
      // open its connection, and the library would leave it open.
      if (!wasConnected) endAttemptUnderWay(this.#session);
      await delay(STRAGGLER_GRACE_MS);
    } catch (error) {
      logger.debug("Broker close", { reason: reasonOf(error, redactor) });
    } finally {
      removeGuard();
    }
  }
}

/**
 * Ends the socket of the session's connection if it is not open, i.e. while a
 * reconnection attempt may be under way; its handshake then never completes.
 * Uses the 4.1.1 release's `client` and `closeSocket()`, missing from its
 * typings; a release without them is left alone.
 */
function endAttemptUnderWay(session: AMQPSession): void {
  const { client } = session as unknown as {
    client?: { closed?: boolean; closeSocket?: () => void };
  };
  if (client?.closed === true && typeof client.closeSocket === "function") client.closeSocket();
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
