/**
 * The answer cache as the client uses it: it never fails a call. A store
 * that rejects counts as a miss (or a skipped write), and the failure is
 * logged at warning at most once a minute, so a Redis outage is visible
 * without flooding the log.
 *
 * @module
 */

import { causeMessages } from "../errors/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import type { AnswerCache, CachedAnswer } from "./store.ts";

/** Least time between two warnings about a failing store. */
const WARN_EVERY_MS = 60_000;

/** What {@link GuardedCache} needs. */
export interface GuardedCacheOptions {
  vendor: string;
  logger: Logger;
  redactor: Redactor;
  /** Clock of the warning throttle; default `performance.now`. */
  now?: () => number;
}

/** An {@link AnswerCache} whose failures are logged, never thrown. */
export class GuardedCache {
  readonly #cache: AnswerCache;
  readonly #options: GuardedCacheOptions;
  #lastWarning = Number.NEGATIVE_INFINITY;

  /** Wraps `cache`. */
  constructor(cache: AnswerCache, options: GuardedCacheOptions) {
    this.#cache = cache;
    this.#options = options;
  }

  /** The stored answer, or undefined on a miss or a store failure. */
  async get(key: string): Promise<CachedAnswer | undefined> {
    try {
      return await this.#cache.get(key);
    } catch (error) {
      this.#warn("read", error);
      return undefined;
    }
  }

  /** Stores the answer; a store failure is logged and forgotten. */
  async set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void> {
    try {
      await this.#cache.set(key, answer, ttlMs);
    } catch (error) {
      this.#warn("write", error);
    }
  }

  #warn(operation: "read" | "write", error: unknown): void {
    const now = (this.#options.now ?? (() => performance.now()))();
    if (now - this.#lastWarning < WARN_EVERY_MS) return;
    this.#lastWarning = now;
    const cause = this.#options.redactor.redact(causeMessages(error).join(": "));
    this.#options.logger.warning(
      `The vendor answer cache failed (${operation}); calls go on without it until it recovers: ${cause}; check the store CONNECTOR_CACHE_URL points to`,
      { vendor: this.#options.vendor, operation },
    );
  }
}
