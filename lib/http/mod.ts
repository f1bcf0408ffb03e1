/**
 * The vendor HTTP layer: redirects kept within the vendor's origin, bodies
 * capped after decoding, one deadline per attempt, retries honouring
 * Retry-After, rate limits, an answer cache, and errors that name their cause
 * and never carry a secret.
 *
 * @module
 */

export {
  createVendorHttpClient,
  DEFAULT_MAX_RESPONSE_BYTES,
  type GetJsonOptions,
  type HttpObserver,
  type RetryOptions,
  type VendorHttpClient,
  type VendorHttpOptions,
  type VendorResponse,
} from "./client.ts";
export { encodePathSegment, hasDotSegment, joinUrl } from "./url.ts";
export { retryAfterMs } from "./retry_after.ts";
export { SlidingWindowLimiter } from "./rate_limit.ts";
export type { AnswerCache, CachedAnswer, RateLimiter, VendorStore } from "./store.ts";
