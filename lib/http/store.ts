/**
 * What the vendor HTTP client needs from a store shared by the requests of
 * one process, or of several replicas: a cache of vendor answers and a rate
 * limiter per API-key budget. `lib/http` owns these interfaces; the
 * in-memory and Redis implementations live in `lib/store`.
 *
 * @module
 */

/** A vendor answer as it is cached: the HTTP status and the JSON text of the body. */
export interface CachedAnswer {
  /** The status the vendor answered: a 2xx, or 404 (that the vendor knows nothing is an answer too). */
  status: number;
  /** The body as received (JSON text for a 2xx), so a hit is handled like a fresh answer. */
  body: string;
}

/** Where vendor answers are kept between identical questions. */
export interface AnswerCache {
  /** The answer stored under `key`, or undefined when there is none or it expired. */
  get(key: string): Promise<CachedAnswer | undefined>;
  /** Stores `answer` under `key` for `ttlMs` milliseconds (a store may drop it earlier to stay in bounds). */
  set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void>;
}

/** A budget of request starts shared by every caller that uses it. */
export interface RateLimiter {
  /** Resolves when the caller may start a request; rejects with the signal's reason on abort. Returns the milliseconds waited. */
  acquire(signal?: AbortSignal): Promise<number>;
}

/** Makes the stores a vendor client uses. */
export interface VendorStore {
  /** The answer cache (shared by every vendor; keys carry the vendor's name). */
  readonly cache: AnswerCache;
  /** The limiter of one budget, e.g. `proofpoint-et:<key fingerprint>`: at most `requests` starts per `perMs`. */
  limiter(budget: string, requests: number, perMs: number): RateLimiter;
  /** Releases connections. */
  close(): Promise<void>;
}
