/**
 * The one connection to Redis of a vendor store, and the only importer of
 * `@redis/client` (node-redis). It reconnects on its own with a capped
 * backoff; while it is not connected every call fails at once (no offline
 * queue), with the socket's last error as the cause, so callers fall back
 * instead of waiting.
 *
 * Options chosen for this use:
 * - RESP2 and no maintenance notifications: those are Redis Enterprise
 *   features; with them the client sends an extra handshake, resolves the host
 *   and reads `REDIS_DEBUG_MAINTENANCE`/`REDIS_EMIT_DIAGNOSTICS` from the
 *   environment (see `@redis/client` `lib/client/enterprise-maintenance-manager.js`).
 * - The client gets host, port and credentials, never the URL, so none of its
 *   messages can quote the password.
 *
 * @module
 */

import {
  ConnectionTimeoutError,
  createClient,
  ErrorReply,
  SocketClosedUnexpectedlyError,
  SocketTimeoutError,
  TimeoutError,
} from "@redis/client";
import { AppError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { RedisTarget } from "../config/mod.ts";

/** A Redis call that could not be made or failed; `cause` holds the client's or the socket's error. */
export class StoreError extends AppError {}

/** Options of {@link RedisConnection.open}. */
export interface RedisConnectionOptions {
  /** Where Redis is. */
  target: RedisTarget;
  /** Debug lines about the socket (errors are reported by the callers' outage logs). */
  logger: Logger;
  /** Longest wait for a connection, and for the first one at open; default 2 s. */
  connectTimeoutMs?: number;
  /** Longest wait for one command's answer; default 1 s. */
  commandTimeoutMs?: number;
}

/** A Lua script run by its SHA-1, loaded again when the server does not know it. */
export interface RedisScript {
  readonly source: string;
  readonly sha1: Promise<string>;
}

/** Prepares a Lua script for {@link RedisConnection.evalScript}. */
export function redisScript(source: string): RedisScript {
  const sha1 = crypto.subtle.digest("SHA-1", new TextEncoder().encode(source)).then((hash) =>
    Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, "0")).join("")
  );
  return { source, sha1 };
}

const MAX_RECONNECT_DELAY_MS = 5_000;
/** After a command timed out or the socket failed mid-call, calls fail fast for this long. */
const PAUSE_AFTER_FAILURE_MS = 1_000;
/** Longest wait for in-flight commands when closing. */
const CLOSE_GRACE_MS = 1_000;

/** A reconnecting Redis connection whose calls never wait for a connection. */
export class RedisConnection {
  readonly #target: RedisTarget;
  readonly #logger: Logger;
  readonly #connectTimeoutMs: number;
  readonly #commandTimeoutMs: number;
  readonly #watchdog: ReturnType<typeof setInterval>;
  #client: Client;
  /** When the current socket connected and its handshake began; undefined once ready. */
  #handshakeSince: number | undefined;
  #lastError: unknown;
  #pausedUntil = 0;
  #closed = false;

  private constructor(options: RedisConnectionOptions) {
    this.#target = options.target;
    this.#logger = options.logger;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 1_000;
    this.#client = this.#start();
    // node-redis gives the handshake (AUTH, SELECT, CLIENT SETNAME) no timeout:
    // a server that accepts the socket and never answers would hold it forever.
    this.#watchdog = setInterval(() => this.#checkHandshake(), this.#connectTimeoutMs);
  }

  /**
   * Connects, waiting at most the connect timeout for the first outcome. An
   * unreachable Redis does not fail the open: the connection keeps trying in
   * the background and calls fail fast meanwhile.
   */
  static async open(options: RedisConnectionOptions): Promise<RedisConnection> {
    const connection = new RedisConnection(options);
    const client = connection.#client;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        client.off("ready", done);
        client.off("error", done);
        resolve();
      };
      const timer = setTimeout(done, connection.#connectTimeoutMs + 100);
      client.on("ready", done);
      client.on("error", done);
    });
    return connection;
  }

  #start(): Client {
    const client = createRedisClient(this.#target, this.#connectTimeoutMs, this.#commandTimeoutMs);
    const current = () => client === this.#client;
    client.on("error", (error: unknown) => {
      if (!current()) return;
      // Every failed reconnection emits one; the callers' outage logs report the outage once.
      this.#lastError = explained(error);
      this.#handshakeSince = undefined;
      this.#logger.debug("Redis connection error", { error });
    });
    client.on("connect", () => {
      if (current()) this.#handshakeSince = performance.now();
    });
    client.on("ready", () => {
      if (!current()) return;
      this.#handshakeSince = undefined;
      this.#lastError = undefined;
      this.#pausedUntil = 0;
    });
    // connect() settles only once connected or closed; the outcome is read from the events.
    client.connect().catch(() => {});
    return client;
  }

  #handshakeFailure(): StoreError | undefined {
    const since = this.#handshakeSince;
    if (since === undefined || performance.now() - since < this.#connectTimeoutMs) return undefined;
    return new StoreError(
      "Redis handshake timed out: the server accepts connections but does not answer",
    );
  }

  #checkHandshake(): void {
    const failure = this.#handshakeFailure();
    if (this.#closed || !failure) return;
    this.#lastError = failure;
    this.#handshakeSince = undefined;
    const stuck = this.#client;
    this.#client = this.#start();
    destroy(stuck);
  }

  /** True when connected and not pausing after a failure. */
  get ready(): boolean {
    return !this.#closed && this.#client.isReady && performance.now() >= this.#pausedUntil;
  }

  /** Why calls fail right now (a `StoreError` whose cause is the last socket error), or undefined when ready. */
  get failure(): StoreError | undefined {
    if (this.ready) return undefined;
    if (this.#closed) return new StoreError("The Redis connection is closed");
    const why = this.#client.isReady ? "Redis is not answering" : "Redis is not connected";
    return new StoreError(why, { cause: this.#lastError ?? this.#handshakeFailure() });
  }

  /** The string under `key`, or null. */
  get(key: string): Promise<string | null> {
    return this.#call(() => this.#client.get(key));
  }

  /** Sets `key` to `value`, expiring after `ttlMs` (at least 1 ms). */
  async setPx(key: string, value: string, ttlMs: number): Promise<void> {
    await this.#call(() => this.#client.set(key, value, { PX: Math.max(1, Math.ceil(ttlMs)) }));
  }

  /** Runs a script by SHA-1, sending its source once when the server does not have it. */
  async evalScript(script: RedisScript, keys: string[], args: string[]): Promise<unknown> {
    const sha1 = await script.sha1;
    return await this.#call(async () => {
      try {
        return await this.#client.evalSha(sha1, { keys, arguments: args });
      } catch (error) {
        if (!(error instanceof ErrorReply && error.message.startsWith("NOSCRIPT"))) throw error;
        return await this.#client.eval(script.source, { keys, arguments: args });
      }
    });
  }

  /**
   * Closes the connection; calls fail after it. A connected client finishes
   * its commands first (at most a second); one still connecting, or whose
   * handshake Redis never answers, is dropped at once.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#watchdog);
    const client = this.#client;
    if (!client.isReady) {
      destroy(client);
      return;
    }
    const timer = setTimeout(() => destroy(client), CLOSE_GRACE_MS);
    try {
      await client.close();
    } catch {
      destroy(client);
    } finally {
      clearTimeout(timer);
    }
  }

  async #call<T>(run: () => Promise<T>): Promise<T> {
    const failure = this.failure;
    if (failure) throw failure;
    try {
      return await run();
    } catch (error) {
      // An error reply means Redis answers: only silence and broken sockets pause the calls.
      if (!(error instanceof ErrorReply)) {
        this.#lastError = explained(error);
        this.#pausedUntil = performance.now() + PAUSE_AFTER_FAILURE_MS;
      }
      throw new StoreError("The Redis call failed", { cause: explained(error) });
    }
  }
}

/**
 * node-redis names a dropped connection "Socket closed unexpectedly" and a
 * command without an answer with an empty `TimeoutError`; named here in the
 * words `describeConnectionFailure` reads.
 */
function explained(error: unknown): unknown {
  const words = error instanceof SocketClosedUnexpectedlyError
    ? "Redis connection closed unexpectedly"
    : error instanceof ConnectionTimeoutError
    ? "Redis connection timed out"
    : error instanceof SocketTimeoutError || error instanceof TimeoutError
    ? "Redis command timed out"
    : undefined;
  return words ? new StoreError(words, { cause: error }) : error;
}

function destroy(client: Client): void {
  try {
    client.destroy();
  } catch {
    // Already closed: nothing is left to release.
  }
}

type Client = ReturnType<typeof createRedisClient>;

function createRedisClient(target: RedisTarget, connectTimeout: number, commandTimeout: number) {
  const common = {
    host: target.host,
    port: target.port,
    connectTimeout,
    reconnectStrategy: (retries: number) =>
      Math.min(100 * 2 ** Math.min(retries, 10), MAX_RECONNECT_DELAY_MS),
  };
  return createClient({
    socket: target.tls
      ? { ...common, tls: true as const, servername: target.host }
      : { ...common, tls: false as const },
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    database: target.database,
    name: "opencti-enrich",
    RESP: 2,
    maintNotifications: "disabled",
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeout },
  });
}
