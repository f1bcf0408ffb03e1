/**
 * The Redis-backed vendor store (CONNECTOR_CACHE_URL): a shared answer cache
 * and shared rate limits. Imported on demand by `vendor_store.ts`, so a
 * process without a cache URL never loads the Redis client.
 *
 * @module
 */

import type { RateLimiter, VendorStore } from "../http/mod.ts";
import { SecretRedactor } from "../log/mod.ts";
import { OutageLog } from "./_outage.ts";
import { RedisAnswerCache } from "./redis_cache.ts";
import { RedisConnection } from "./_redis_connection.ts";
import { RedisRateLimiter } from "./redis_limiter.ts";
import { parseRedisUrl } from "../config/mod.ts";
import type { Budget, VendorStoreOptions } from "./vendor_store.ts";

/** Connects to Redis (waiting at most a couple of seconds) and builds the store on it. */
export async function createRedisStore(
  url: string,
  options: VendorStoreOptions,
  storeOf: (
    cache: VendorStore["cache"],
    makeLimiter: (budget: Budget) => RateLimiter,
    close?: () => Promise<void>,
  ) => VendorStore,
): Promise<VendorStore> {
  const parsed = parseRedisUrl(url);
  if ("problem" in parsed) {
    // The config loader refuses such a URL; the message never quotes it.
    throw new RangeError(`CONNECTOR_CACHE_URL ${parsed.problem}`);
  }
  const { target } = parsed;
  const { logger, redactor } = options;
  if (redactor instanceof SecretRedactor) redactor.add(target.password);
  const connection = await RedisConnection.open({ target, logger });
  const cacheOutage = new OutageLog(logger, redactor, {
    component: "Redis answer cache",
    meanwhile: "vendor answers are not cached",
    target: target.label,
  });
  const rateOutage = new OutageLog(logger, redactor, {
    component: "Redis rate limiter",
    meanwhile: "each replica keeps the vendors' rate limits on its own",
    target: target.label,
  });
  const failure = connection.failure;
  if (failure) {
    cacheOutage.failed(failure);
    rateOutage.failed(failure);
  } else {
    logger.info("Vendor answers are cached and rate limits shared in Redis", {
      target: target.label,
    });
  }
  const cache = new RedisAnswerCache(connection, {
    outage: cacheOutage,
    maxBytes: options.maxBytes,
  });
  return storeOf(
    cache,
    (budget) => new RedisRateLimiter(connection, { ...budget, outage: rateOutage }),
    () => connection.close(),
  );
}
