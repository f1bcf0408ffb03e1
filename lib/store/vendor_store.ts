/**
 * Builds the {@link VendorStore} of a process: in memory by default (a
 * bounded answer cache and one local limiter per budget), or in Redis when
 * CONNECTOR_CACHE_URL is set, so that replicas share answers and rate limits.
 *
 * @module
 */

import type { RateLimiter, VendorStore } from "../http/mod.ts";
import { SlidingWindowLimiter } from "../http/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import { MemoryAnswerCache } from "./memory_cache.ts";

/** Options of {@link createVendorStore}. */
export interface VendorStoreOptions {
  /** `redis://…` or `rediss://…` (CONNECTOR_CACHE_URL); unset keeps the cache and the limits in memory. */
  url?: string | undefined;
  /** Most answers the in-memory cache keeps. */
  maxEntries: number;
  /** Most bytes the in-memory cache keeps; in Redis, answers larger than this are not stored. */
  maxBytes: number;
  /** The store's logger (outages, once each). */
  logger: Logger;
  /** The program's redactor; when it is a `SecretRedactor`, the URL's password is registered on it. */
  redactor: Redactor;
}

/**
 * Creates the store. With a URL it connects at once, waiting at most a couple
 * of seconds: an unreachable Redis is logged and the store works without it
 * (misses, local limits) until it answers. The URL is the one the config
 * loader checked (CONNECTOR_CACHE_URL).
 */
export async function createVendorStore(options: VendorStoreOptions): Promise<VendorStore> {
  const url = options.url?.trim();
  if (!url) {
    const cache = new MemoryAnswerCache(options);
    return storeOf(cache, (budget) => new SlidingWindowLimiter(budget.requests, budget.perMs));
  }
  // Loaded only when asked for: the Redis client is a large module graph most deployments never use.
  const { createRedisStore } = await import("./_redis_store.ts");
  return createRedisStore(url, options, storeOf);
}

/** One rate-limit budget. */
export interface Budget {
  budget: string;
  requests: number;
  perMs: number;
}

/** A store over `cache` with one limiter per budget, made on first use and reused. */
export function storeOf(
  cache: VendorStore["cache"],
  makeLimiter: (budget: Budget) => RateLimiter,
  close: () => Promise<void> = () => Promise.resolve(),
): VendorStore {
  const limiters = new Map<string, RateLimiter>();
  return {
    cache,
    limiter(budget, requests, perMs) {
      if (!Number.isInteger(requests) || requests < 1 || !(perMs > 0) || !Number.isFinite(perMs)) {
        throw new RangeError(
          `A rate limit needs a whole number of requests (at least 1) per a positive number of milliseconds, not ${requests} per ${perMs} ms`,
        );
      }
      const id = `${budget}\u0000${requests}\u0000${perMs}`;
      let limiter = limiters.get(id);
      if (!limiter) {
        limiter = makeLimiter({ budget, requests, perMs });
        limiters.set(id, limiter);
      }
      return limiter;
    },
    close,
  };
}
