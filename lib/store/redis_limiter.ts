/**
 * A rate limit shared by every replica through Redis: a sliding-window log.
 * Each budget is one sorted set `opencti-enrich:rate:<budget>` of start
 * times; one Lua script drops the starts older than the window, counts the
 * rest and either records a new start or answers how long until the oldest
 * leaves the window. Redis runs a script atomically, and the script reads
 * Redis's own clock (`TIME`), so N processes sharing a budget never start
 * more than `requests` per `perMs` together, whatever their clocks say.
 *
 * Redis failing or unreachable: the caller is paced by a local limiter of the
 * same budget (logged once per outage) and Redis is tried again on the next
 * call.
 *
 * @module
 */

import { abortable, delay } from "../async/mod.ts";
import { type RateLimiter, SlidingWindowLimiter } from "../http/mod.ts";
import type { OutageLog } from "./_outage.ts";
import { type RedisConnection, redisScript, StoreError } from "./_redis_connection.ts";

/** The namespace of rate-limit budgets in Redis. */
export const RATE_KEY_PREFIX = "opencti-enrich:rate:";

/**
 * Each start stays in the log this long past the window. A start is granted
 * on Redis's clock, but the request leaves its replica after the answer's trip
 * back and reaches the vendor later still; the margin keeps that jitter from
 * putting one request too many into the vendor's window.
 */
export const JITTER_MARGIN_MS = 25;

// KEYS[1]: the budget's sorted set; ARGV: requests, window (µs), a unique member.
// Returns 0 when a start was recorded, else the µs until a slot frees.
// replicate_commands() lets a script write after TIME on Redis 3.2 to 4
// (effects replication is the only mode from Redis 7 on, where it is a no-op).
const ACQUIRE = redisScript(`
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`);

/** Options of {@link RedisRateLimiter}. */
export interface RedisLimiterOptions {
  /** The budget's name, e.g. `proofpoint-et:<key fingerprint>`. */
  budget: string;
  /** Starts allowed per window. */
  requests: number;
  /** The window in milliseconds. */
  perMs: number;
  /** Reports failures once per outage (shared by the limiters of one store). */
  outage: OutageLog;
}

/** A {@link RateLimiter} whose budget is shared through Redis. */
export class RedisRateLimiter implements RateLimiter {
  readonly #connection: RedisConnection;
  readonly #key: string;
  readonly #requests: number;
  readonly #windowUs: number;
  readonly #outage: OutageLog;
  readonly #local: SlidingWindowLimiter;
  readonly #id = crypto.randomUUID();
  #sequence = 0;
  /** Callers of this process take turns: one of them polls Redis at a time. */
  #turn: Promise<void> = Promise.resolve();

  /** A limiter of `requests` starts per `perMs` on `connection`. */
  constructor(connection: RedisConnection, options: RedisLimiterOptions) {
    this.#connection = connection;
    this.#key = RATE_KEY_PREFIX + options.budget;
    this.#requests = options.requests;
    this.#windowUs = (options.perMs + JITTER_MARGIN_MS) * 1000;
    this.#outage = options.outage;
    this.#local = new SlidingWindowLimiter(options.requests, options.perMs);
  }

  /**
   * Resolves when the caller may start, with the milliseconds it waited for
   * the budget (behind this process's other callers, for a slot, or on the
   * local limiter; not the Redis calls themselves); rejects with the signal's
   * reason on abort.
   */
  async acquire(signal?: AbortSignal): Promise<number> {
    const previous = this.#turn;
    let done!: () => void;
    this.#turn = new Promise((resolve) => (done = resolve));
    try {
      const queued = performance.now();
      await abortable(previous, signal);
      const waited = performance.now() - queued;
      return Math.max(0, Math.floor(waited + await this.#take(signal)));
    } finally {
      // The next caller goes after this one's predecessor too, even when this one gave up early.
      void previous.then(done);
    }
  }

  /** Takes a slot; returns the milliseconds spent waiting for one. */
  async #take(signal?: AbortSignal): Promise<number> {
    let waited = 0;
    while (true) {
      signal?.throwIfAborted();
      let waitUs: number;
      try {
        const member = `${this.#id}:${++this.#sequence}`;
        const args = [String(this.#requests), String(this.#windowUs), member];
        const reply = this.#connection.evalScript(ACQUIRE, [this.#key], args);
        waitUs = Number(await abortable(reply, signal));
        if (!Number.isFinite(waitUs)) {
          throw new StoreError("The rate-limit script answered no number");
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        this.#outage.failed(error);
        return waited + await this.#local.acquire(signal);
      }
      this.#outage.succeeded();
      if (!(waitUs > 0)) return waited;
      const sleeping = performance.now();
      await delay(Math.ceil(waitUs / 1000), { signal });
      waited += performance.now() - sleeping;
    }
  }
}
