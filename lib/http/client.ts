/**
 * The vendor HTTP client, written once for every vendor, and safe against
 * hostile answers:
 *
 * - Redirects are followed by hand, within the configured origin only (same
 *   scheme, host and port as the base URL), at most 3 times: a redirect to
 *   another origin fails the call (`invalid_response`) and the API key is
 *   never sent there (the runtime would strip `Authorization` but not a
 *   custom header such as `x-api-key`).
 * - A body is capped (`maxResponseBytes`, default 8 MiB) counting the bytes
 *   after gzip/br decoding, while it streams in; an error body is read up to
 *   4 KB for its excerpt.
 * - One deadline per attempt (`timeoutMs`) covers connecting, the headers and
 *   the whole body.
 * - Failures name their cause (refused, DNS, certificate, TLS on a plain port,
 *   reset, timeout); certificate problems are never retried. 429, 5xx and
 *   transient network failures are retried with backoff and full jitter,
 *   honouring `Retry-After` (capped at `retry.maxDelayMs`).
 * - Every quoted text passes through the program's redactor before it is cut.
 * - With a `store` and `cacheTtlMs`, 2xx JSON answers and 404s are cached
 *   under the vendor, a fingerprint of the credentials and the question, and
 *   identical calls in flight share one request; the rate limit is then the
 *   store's (shared by replicas).
 *
 * Deno's fetch honours HTTP_PROXY / HTTPS_PROXY / NO_PROXY by itself.
 *
 * @module
 */

import { retry, RetryError } from "../async/mod.ts";
import { causeMessages, VendorError } from "../errors/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import { credentialFingerprint } from "./_cache_key.ts";
import { AttemptFailure, CA_HINT, Failures } from "./_failures.ts";
import { attempt, type AttemptOptions, type RawAnswer } from "./_request.ts";
import { SharedAnswers } from "./_shared_answers.ts";
import { SlidingWindowLimiter } from "./rate_limit.ts";
import type { RateLimiter, VendorStore } from "./store.ts";
import { hasDotSegment, joinUrl } from "./url.ts";

/** Metrics hooks for vendor requests. */
export interface HttpObserver {
  /** One request ended with an HTTP status or a transport failure. */
  request(vendor: string, outcome: number | "network" | "timeout"): void;
  /** An attempt is retried. */
  retry(vendor: string, reason: string): void;
  /** A cache lookup hit or missed. */
  cache?(vendor: string, hit: boolean): void;
  /** A request waited `ms` for the rate limit. */
  rateLimited?(vendor: string, ms: number): void;
}

/** A 2xx JSON answer. */
export interface VendorResponse {
  status: number;
  body: unknown;
  /** The answer's headers (empty for an answer from the cache). */
  headers: Headers;
  /** The URL requested (no secrets: keys travel in headers). */
  url: string;
  /** True when the answer came from the cache, without a request. */
  cached: boolean;
}

/** Retry policy. */
export interface RetryOptions {
  /** Attempts after the first; default 3. */
  maxRetries: number;
  /** Ceiling of the first pause, ms; default 500. */
  baseDelayMs: number;
  /** Largest pause, `Retry-After` included, ms; default 30 000. */
  maxDelayMs: number;
}

/** Options of {@link createVendorHttpClient}. */
export interface VendorHttpOptions {
  /** Registry name, used in errors, logs, metrics and cache keys. */
  vendor: string;
  /** The vendor's name in messages, e.g. `Silent Push`; default `vendor`. */
  title?: string | undefined;
  /** Redirects may only lead to this URL's origin. */
  baseUrl: string;
  /** Sent with every request (the API key goes here; all but user-agent/accept key the cache). */
  headers?: Record<string, string> | undefined;
  /** Masks secrets in every message and excerpt (the API key must be registered on it). */
  redactor: Redactor;
  /** Per attempt, body included; default 30 s. */
  timeoutMs?: number | undefined;
  retry?: Partial<RetryOptions> | undefined;
  /** At most `requests` request starts per `perMs`, shared by all calls (and replicas, with a store). */
  rateLimit?: { requests: number; perMs: number } | undefined;
  /** Largest 2xx body, counted after decoding; default 8 MiB. */
  maxResponseBytes?: number | undefined;
  /** The setting that raises the cap, named in the error, e.g. `SILENTPUSH_MAX_RESPONSE_MB`. */
  maxResponseSetting?: string | undefined;
  /** The answer cache and rate-limit store. */
  store?: VendorStore | undefined;
  /** How long answers are cached; 0 or absent = no cache. */
  cacheTtlMs?: number | undefined;
  /** Deno cannot turn certificate checks off for one client; false only warns. */
  verifyTls?: boolean | undefined;
  logger: Logger;
  observer?: HttpObserver | undefined;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** Options of one {@link VendorHttpClient.getJson} call. */
export interface GetJsonOptions {
  /** Query parameters (part of the cache key, sorted). */
  query?: Record<string, string> | undefined;
  /** Aborts the call (and the shared request once every caller has aborted). */
  signal?: AbortSignal | undefined;
  /** Called when the answer (or the 404) came from the cache. */
  onCachedAnswer?: (() => void) | undefined;
}

/** Calls of one vendor API. */
export interface VendorHttpClient {
  /** GETs `path` (relative to the base URL) and parses the JSON answer; a 404 throws `not_found`. */
  getJson(path: string, options?: GetJsonOptions): Promise<VendorResponse>;
}

/** Default cap of a 2xx body. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

const DEFAULT_RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Creates the client. */
export function createVendorHttpClient(options: VendorHttpOptions): VendorHttpClient {
  const { vendor, logger, observer, redactor, store } = options;
  const title = options.title ?? vendor;
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const headers = options.headers ?? {};
  const base = new URL(options.baseUrl);
  const where = redactor.redact(`${base.origin}${base.pathname}`);
  let fingerprint: Promise<string> | undefined;
  const fingerprintOnce = () => (fingerprint ??= credentialFingerprint(headers));
  const ttlMs = options.cacheTtlMs ?? 0;
  const shared = store && ttlMs > 0
    ? new SharedAnswers({
      vendor,
      store,
      ttlMs,
      logger,
      redactor,
      fingerprint: fingerprintOnce,
      onLookup: (hit) => observer?.cache?.(vendor, hit),
    })
    : undefined;
  let limiter: Promise<RateLimiter | undefined> | undefined;
  const limiterOnce = () => (limiter ??= makeLimiter(options, fingerprintOnce));
  if (options.verifyTls === false) {
    logger.warning(
      `Certificate verification cannot be turned off for one client in Deno, so ${title}'s certificate is still verified; ${CA_HINT}`,
      { vendor },
    );
  }
  const attemptOptions: AttemptOptions = {
    vendor,
    origin: base.origin,
    headers,
    timeoutMs,
    maxResponseBytes,
    fetch: options.fetch ?? fetch,
    logger,
    beforeRequest: async (signal) => {
      const budget = await limiterOnce();
      if (!budget) return;
      const waited = await budget.acquire(signal);
      if (waited > 0) observer?.rateLimited?.(vendor, waited);
    },
    onOutcome: (outcome) => observer?.request(vendor, outcome),
  };

  function ask(url: URL, failures: Failures, shown: string, signal?: AbortSignal) {
    return retry(
      () =>
        attempt(url, { options: attemptOptions, failures, shown, ...(signal ? { signal } : {}) }),
      {
        maxAttempts: policy.maxRetries + 1,
        minTimeout: policy.baseDelayMs,
        maxTimeout: policy.maxDelayMs,
        multiplier: 2,
        jitter: 1,
        isRetriable: (error) => error instanceof AttemptFailure && error.retriable,
        delayFor: (error) => (error instanceof AttemptFailure ? error.waitMs : undefined),
        onRetry: (error, { attempt, delayMs }) => {
          const failure = (error as AttemptFailure).error;
          observer?.retry(vendor, failure.kind);
          logger.warning("Vendor request failed, retrying", {
            vendor,
            path: shown,
            reason: failure.message,
            attempt,
            delay_ms: delayMs,
          });
        },
        ...(signal ? { signal } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
        ...(options.random ? { random: options.random } : {}),
      },
    ).catch((error) => {
      if (error instanceof RetryError) throw failures.exhausted(error);
      if (error instanceof AttemptFailure) throw error.error;
      throw error;
    });
  }

  return {
    async getJson(path, call = {}) {
      const shown = redactor.redact(path.replace(/^\/+/, ""));
      const failures = new Failures({
        vendor,
        title,
        shown,
        where,
        timeoutMs,
        maxResponseBytes,
        maxResponseSetting: options.maxResponseSetting,
        redactor,
      });
      if (hasDotSegment(path)) {
        throw new VendorError(
          `Refusing to ask ${title} for "${shown}": a "." or ".." segment would change the path the URL points to`,
          { vendor, kind: "client" },
        );
      }
      const url = new URL(joinUrl(options.baseUrl, path));
      for (const [key, value] of Object.entries(call.query ?? {})) {
        url.searchParams.set(key, value);
      }
      const respond = (answer: RawAnswer, cached: boolean): VendorResponse => {
        if (answer.status === 404) throw failures.notFound(answer.text);
        const { status, body, headers } = answer;
        return { status, body, headers, url: url.toString(), cached };
      };
      if (!shared) return respond(await ask(url, failures, shown, call.signal), false);
      const value = await shared.answer(
        url,
        call.signal,
        (signal) => ask(url, failures, shown, signal),
      );
      if (value.fromCache) {
        logger.debug("Vendor answer from cache", { vendor, path: shown, status: value.status });
        call.onCachedAnswer?.();
      }
      return respond(value, value.fromCache);
    },
  };
}

/** The local limiter, or the store's (shared by replicas) for the budget of this vendor and key. */
async function makeLimiter(
  options: VendorHttpOptions,
  fingerprint: () => Promise<string>,
): Promise<RateLimiter | undefined> {
  const rate = options.rateLimit;
  if (!rate || rate.requests <= 0) return undefined;
  if (options.store) {
    try {
      const budget = `${options.vendor}:${await fingerprint()}`;
      return options.store.limiter(budget, rate.requests, rate.perMs);
    } catch (error) {
      options.logger.warning(
        `The shared rate limiter is unavailable; ${
          options.title ?? options.vendor
        } requests are limited in this process only: ${
          options.redactor.redact(causeMessages(error).join(": "))
        }`,
        { vendor: options.vendor },
      );
    }
  }
  return new SlidingWindowLimiter(rate.requests, rate.perMs);
}
