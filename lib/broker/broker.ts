/**
 * The AMQP adapter, on `@cloudamqp/amqp-client`'s `AMQPSession`, which
 * reconnects with backoff and re-opens consumers after a connection failure.
 * It implements the runtime's {@link BrokerPort}.
 *
 * Choices, and why:
 * - queues and exchanges are only declared passively: the platform owns them
 *   and redeclaring them with other arguments would fail;
 * - consumption is manual-ack with prefetch = concurrency, on its own channel;
 *   deliveries are handed over as they arrive, so up to `prefetch` messages are
 *   processed at once and each is acked only when its results are confirmed;
 * - publishing goes through the session's single confirm channel: a publish
 *   resolves when the broker confirmed it, and waits for a reconnection (up to
 *   a deadline) when the connection is down, so a cut does not lose results;
 * - the library leaves some failures with nobody listening when a connection
 *   breaks (rejected internal promises, a corrupt frame's exception); a guard
 *   (`_guard.ts`) keeps those from ending the process, for the connection
 *   this adapter owns only.
 *
 * @module
 */

import { AMQPSession } from "@cloudamqp/amqp-client";
import { delay } from "../async/mod.ts";
import type { BrokerConnectionSettings, BrokerPort, PublishOptions } from "../connector/mod.ts";
import { BrokerError } from "../errors/mod.ts";
import { type Logger, type Redactor, SecretRedactor } from "../log/mod.ts";
import { reasonOf, safeCause } from "./_errors.ts";
import { guardLibraryErrors } from "./_guard.ts";
import { ConnectionState, SessionBroker, STRAGGLER_GRACE_MS } from "./_session.ts";

/** Where and how to connect: the runtime's connection settings plus the adapter's own. */
export interface BrokerOptions extends BrokerConnectionSettings {
  /** Heartbeat in seconds (pycti: 10). */
  heartbeatSeconds?: number;
  /** Connection name shown in the RabbitMQ management UI. */
  name?: string;
  /** Reconnection backoff. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** How long a publish waits for a lost connection to come back before failing (default 60 s). */
  publishWaitMs?: number;
  logger: Logger;
  /** The program's redactor; the password and TLS secrets are registered on it when it can hold them. */
  redactor?: Redactor;
  /** Metrics hook. */
  observer?: { reconnect(): void };
}

/** A broker connection: the runtime's port, plus what the adapter tells about itself. */
export interface Broker extends BrokerPort {
  /** True while connected. */
  readonly connected: boolean;
  /** Resolves once the broker confirmed the message. */
  publish(
    exchange: string,
    routingKey: string,
    body: string | Uint8Array,
    options?: PublishOptions,
  ): Promise<void>;
  /** Called with true/false when the connection comes up or goes down. */
  onConnectionChange(listener: (connected: boolean) => void): void;
  /** Resolves when `queue` exists (a passive declare); rejects with a {@link BrokerError} saying it does not. */
  checkQueue(queue: string): Promise<void>;
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
  const { logger } = options;
  const redactor = brokerRedactor(options);
  const state = new ConnectionState();
  // The library's log lines, at debug; also how the guard knows this
  // connection: an AMQPError names its connection, whose `logger` is this one.
  const libraryLogger = libraryLoggerFor(logger.child("amqp-client"), redactor);
  const removeGuard = guardLibraryErrors({
    owns: (connection) =>
      typeof connection === "object" && connection !== null &&
      (connection as { logger?: unknown }).logger === libraryLogger,
    failing: () => !state.connected || state.closed,
    drop: (connection, error) => destroySocketOf(connection, error),
  }, { logger, redactor });
  let connectedOnce = false;
  // Queues whose consumer the current connection attempt could not resume.
  let unrecovered: string[] = [];
  let session: AMQPSession;
  try {
    session = await AMQPSession.connect(brokerUrl(options), {
      reconnectInterval: options.reconnect?.initialDelayMs ?? 1000,
      maxReconnectInterval: options.reconnect?.maxDelayMs ?? 30_000,
      backoffMultiplier: 2,
      maxRetries: 0,
      logger: libraryLogger,
      ...(options.useSsl ? { tlsOptions: tlsOptionsOf(options) } : {}),
      beforeConnect: () => {
        unrecovered = [];
      },
      onrecoverfailed: (queue, error) => {
        unrecovered.push(queue);
        logger.warning("Could not resume consuming after reconnecting", {
          broker: where,
          queue,
          reason: reasonOf(error, redactor),
        });
      },
      // The library calls this even when a consumer could not be resumed:
      // most often the new connection is already breaking (its loss follows
      // and the session tries again); if it is not, the connection stays
      // reported down, so readiness shows the consumer is gone.
      onconnect: () => {
        if (unrecovered.length > 0) return;
        if (connectedOnce) {
          logger.info("Reconnected to the broker", { broker: where });
          options.observer?.reconnect();
        }
        connectedOnce = true;
        state.set(true);
      },
      ondisconnect: (error) => {
        // A connection lost before it was reported up is part of the same outage.
        const log = state.connected ? logger.warning : logger.debug;
        state.set(false);
        log.call(logger, "Broker connection lost; reconnecting", {
          broker: where,
          reason: reasonOf(error, redactor),
        });
      },
    });
  } catch (error) {
    state.closed = true;
    // The failed handshake's own stray rejections arrive just after it.
    await delay(STRAGGLER_GRACE_MS);
    removeGuard();
    throw new BrokerError(
      `Cannot connect to RabbitMQ at ${where}: ${reasonOf(error, redactor)}`,
      { cause: safeCause(error, redactor), transient: true },
    );
  }
  return new SessionBroker(session, {
    where,
    logger,
    redactor,
    state,
    removeGuard,
    publishWaitMs: options.publishWaitMs ?? 60_000,
  });
}

/**
 * The redactor messages go through: this connection's secrets are always
 * masked, and registered on the program's redactor too when it is a
 * {@link SecretRedactor}, so its logs mask them as well.
 */
function brokerRedactor(options: BrokerOptions): Redactor {
  const secrets = [options.pass, options.tls?.passphrase, options.tls?.key];
  const own = new SecretRedactor();
  own.add(...secrets);
  const program = options.redactor;
  if (program instanceof SecretRedactor) program.add(...secrets);
  if (!program) return own;
  return { redact: (text) => program.redact(own.redact(text)) };
}

/**
 * A logger in the library's shape (console's four methods) writing to ours at
 * debug level. Its lines quote the broker's texts, which may repeat the login.
 */
function libraryLoggerFor(
  logger: Logger,
  redactor: Redactor,
): Pick<Console, "debug" | "info" | "warn" | "error"> {
  const write = (...args: unknown[]) => {
    if (logger.enabled("debug")) logger.debug(redactor.redact(args.map(String).join(" ")));
  };
  return { debug: write, info: write, warn: write, error: write };
}

/**
 * Destroys the socket of a connection with `error`: the client then reports
 * the connection lost (or the handshake failed) and the session reconnects.
 * Uses the 4.1.1 client's `socket`, missing from its typings.
 */
function destroySocketOf(connection: unknown, error: Error): void {
  const { socket } = connection as { socket?: { destroy?: (error?: Error) => void } };
  if (typeof socket?.destroy === "function") socket.destroy(error);
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
