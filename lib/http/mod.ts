/**
 * The vendor HTTP layer: timeouts, retries honouring Retry-After, rate limits,
 * and errors without secrets.
 *
 * @module
 */

export {
  createVendorHttpClient,
  encodePathSegment,
  type HttpObserver,
  joinUrl,
  retryAfterMs,
  type RetryOptions,
  type VendorHttpClient,
  type VendorHttpOptions,
  type VendorResponse,
} from "./client.ts";
export { SlidingWindowLimiter } from "./rate_limit.ts";
export type { AnswerCache, CachedAnswer, RateLimiter, VendorStore } from "./store.ts";
