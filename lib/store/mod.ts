/**
 * The vendor store: where vendor answers are cached and rate-limit budgets
 * are kept, in memory (the default) or in Redis shared by every replica. It
 * implements lib/http's `AnswerCache`, `RateLimiter` and `VendorStore`.
 *
 * @module
 */

export { createVendorStore, type VendorStoreOptions } from "./vendor_store.ts";
export {
  ENTRY_OVERHEAD_BYTES,
  entryBytes,
  MemoryAnswerCache,
  type MemoryCacheOptions,
} from "./memory_cache.ts";
export { CACHE_KEY_PREFIX } from "./redis_cache.ts";
export { JITTER_MARGIN_MS, RATE_KEY_PREFIX } from "./redis_limiter.ts";
