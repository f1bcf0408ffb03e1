/**
 * The vendor HTTP client, written once for every vendor: URL joining, a
 * per-attempt timeout, retries with exponential backoff and full jitter on
 * 429/5xx/network errors honouring `Retry-After`, an optional client-side
 * rate limit, and errors that never carry the API key.
 *
 * Deno's fetch honours HTTP_PROXY / HTTPS_PROXY / NO_PROXY by itself.
 *
 * @module
 */

import { VendorError, type VendorErrorKind } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import { SlidingWindowLimiter } from "./rate_limit.ts";

/** Metrics hooks for vendor requests. */
export interface HttpObserver {
  /** One attempt ended with an HTTP status or a transport failure. */
  request(vendor: string, outcome: number | "network" | "timeout"): void;
  /** An attempt is retried. */
  retry(vendor: string, reason: string): void;
}

/** A 2xx JSON answer. */
export interface VendorResponse {
  status: number;
  body: unknown;
  headers: Headers;
  /** The URL requested (no secrets: keys travel in headers). */
  url: string;
}

/** Retry policy. */
export interface RetryOptions {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Options of {@link createVendorHttpClient}. */
export interface VendorHttpOptions {
  /** Registry name, used in errors, logs and metrics. */
  vendor: string;
  baseUrl: string;
  /** Sent with every request (the API key goes here). */
  headers?: Record<string, string>;
  /** Values that must never appear in an error or log line. */
  secrets?: readonly string[];
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** At most `requests` request starts per `perMs`, shared by all calls. */
  rateLimit?: { requests: number; perMs: number };
  /** Deno cannot turn certificate checks off for one client; false only warns. */
  verifyTls?: boolean;
  logger: Logger;
  observer?: HttpObserver;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** Calls of one vendor API. */
export interface VendorHttpClient {
  /** GETs `path` (relative to the base URL) and parses the JSON answer. */
  getJson(
    path: string,
    options?: { query?: Record<string, string>; signal?: AbortSignal },
  ): Promise<VendorResponse>;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const DEFAULT_RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Joins a base URL and a path so slashes on either side do not matter and the base path is kept. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/** Encodes one value for a URL path segment (`/` included). */
export function encodePathSegment(value: string): string {
  return encodeURIComponent(value);
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Creates the client. */
export function createVendorHttpClient(options: VendorHttpOptions): VendorHttpClient {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const secrets = (options.secrets ?? []).filter((secret) => secret.length > 0);
  const limiter = options.rateLimit && options.rateLimit.requests > 0
    ? new SlidingWindowLimiter(options.rateLimit.requests, options.rateLimit.perMs)
    : undefined;
  const { vendor, logger, observer } = options;
  if (options.verifyTls === false) {
    const host = safeHost(options.baseUrl);
    logger.warning(
      `TLS verification cannot be turned off for one client in Deno; run with --unsafely-ignore-certificate-errors=${host} to skip it for this vendor`,
      { vendor },
    );
  }
  const clean = (text: string) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join("[REDACTED]");
    return out;
  };

  return {
    async getJson(path, callOptions = {}) {
      const url = new URL(joinUrl(options.baseUrl, path));
      for (const [key, value] of Object.entries(callOptions.query ?? {})) {
        url.searchParams.set(key, value);
      }
      const shown = clean(url.pathname);
      for (let attempt = 0;; attempt++) {
        if (limiter) await limiter.acquire(callOptions.signal);
        const started = performance.now();
        let failure: { kind: VendorErrorKind; message: string; status?: number; wait?: number };
        const deadline = startDeadline(timeoutMs, callOptions.signal);
        try {
          const response = await doFetch(url, {
            method: "GET",
            headers: { accept: "application/json", ...options.headers },
            signal: deadline.signal,
          });
          const duration = Math.round(performance.now() - started);
          observer?.request(vendor, response.status);
          logger.debug("Vendor request", {
            vendor,
            method: "GET",
            path: shown,
            status: response.status,
            duration_ms: duration,
          });
          if (response.ok) {
            const text = await response.text();
            try {
              return {
                status: response.status,
                body: JSON.parse(text),
                headers: response.headers,
                url: url.toString(),
              };
            } catch {
              throw new VendorError(
                `${vendor} answered "${shown}" with HTTP ${response.status} but not JSON: ${
                  clean(excerpt(text))
                }`,
                { vendor, kind: "invalid_response", status: response.status },
              );
            }
          }
          const body = clean(excerpt(await response.text().catch(() => "")));
          const kind = kindOfStatus(response.status);
          failure = {
            kind,
            status: response.status,
            message: `${vendor} answered "${shown}" with HTTP ${response.status}${
              body ? `: ${body}` : ""
            }`,
          };
          const wait = retryAfterMs(response.headers.get("retry-after"));
          if (wait !== undefined) failure.wait = wait;
          if (!RETRY_STATUSES.has(response.status)) {
            throw new VendorError(failure.message, { vendor, kind, status: response.status });
          }
        } catch (error) {
          if (error instanceof VendorError) throw error;
          if (callOptions.signal?.aborted) throw callOptions.signal.reason ?? error;
          const timedOut = error instanceof DOMException && error.name === "TimeoutError";
          observer?.request(vendor, timedOut ? "timeout" : "network");
          failure = timedOut
            ? {
              kind: "timeout",
              message: `${vendor} did not answer "${shown}" within ${timeoutMs} ms`,
            }
            : {
              kind: "network",
              message: `Cannot reach ${vendor} for "${shown}": ${clean(errorText(error))}`,
            };
        } finally {
          deadline.clear();
        }
        if (attempt >= retry.maxRetries) {
          const attempts = attempt + 1;
          const suffix = attempts > 1 ? ` (gave up after ${attempts} attempts)` : "";
          throw new VendorError(`${failure.message}${suffix}`, {
            vendor,
            kind: failure.kind,
            ...(failure.status !== undefined ? { status: failure.status } : {}),
          });
        }
        const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
        const delay = failure.wait !== undefined
          ? Math.min(failure.wait, retry.maxDelayMs)
          : Math.round(ceiling * random());
        observer?.retry(vendor, failure.kind);
        logger.warning("Vendor request failed, retrying", {
          vendor,
          path: shown,
          reason: failure.message,
          attempt: attempt + 1,
          delay_ms: delay,
        });
        await sleep(delay, callOptions.signal);
      }
    },
  };
}

/**
 * A per-attempt deadline that also follows the caller's signal. Its timer and
 * listener are released as soon as the attempt ends: AbortSignal.timeout
 * would keep every request's signal alive for the whole timeout, which at
 * hundreds of requests a second is tens of megabytes of heap.
 */
function startDeadline(
  timeoutMs: number,
  outer: AbortSignal | undefined,
): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, "TimeoutError")),
    timeoutMs,
  );
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    },
  };
}

function kindOfStatus(status: number): VendorErrorKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server";
  return "client";
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function safeHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "<host>";
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
