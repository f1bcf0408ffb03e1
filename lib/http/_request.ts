/**
 * One attempt of a vendor call: send (following same-origin redirects only),
 * read the body under the size cap and the deadline, and turn the outcome
 * into an answer or an {@link AttemptFailure}.
 *
 * @module
 */

import type { Logger } from "../log/mod.ts";
import { declaresMoreThan, discard, readCapped } from "./_body.ts";
import { startDeadline } from "./_deadline.ts";
import { AttemptFailure, type Failures } from "./_failures.ts";
import { fetchWithinOrigin, RedirectRefused } from "./_redirects.ts";
import { retryAfterMs } from "./retry_after.ts";

/** Bytes of an error body read for its excerpt. */
const ERROR_BODY_BYTES = 4096;

/** An answer worth keeping: a 2xx JSON body, or a 404. */
export interface RawAnswer {
  status: number;
  /** The body text (for a 404, its first bytes, redacted). */
  text: string;
  /** The parsed JSON of a 2xx; undefined for a 404. */
  body: unknown;
  headers: Headers;
}

/** What every attempt of one client shares. */
export interface AttemptOptions {
  vendor: string;
  origin: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxResponseBytes: number;
  fetch: typeof fetch;
  logger: Logger;
  /** Waits for the rate limit before each request; rejects with the signal's reason on abort. */
  beforeRequest: (signal: AbortSignal | undefined) => Promise<void>;
  /** Sees each outcome (metrics). */
  onOutcome: (outcome: number | "network" | "timeout") => void;
}

/** Makes one attempt at `url`; throws {@link AttemptFailure}, or the caller's abort reason. */
export async function attempt(
  url: URL,
  call: { options: AttemptOptions; failures: Failures; shown: string; signal?: AbortSignal },
): Promise<RawAnswer> {
  const { options, failures, signal } = call;
  // The rate limit is waited for before the deadline starts: queueing is not the vendor's slowness.
  await options.beforeRequest(signal);
  const deadline = startDeadline(options.timeoutMs, signal);
  const started = performance.now();
  try {
    const response = await fetchWithinOrigin(url, {
      origin: options.origin,
      fetch: options.fetch,
      init: {
        method: "GET",
        headers: { accept: "application/json", ...options.headers },
        signal: deadline.signal,
      },
      beforeRedirect: () => options.beforeRequest(deadline.signal),
      onStatus: (status) => {
        options.onOutcome(status);
        options.logger.debug("Vendor request", {
          vendor: options.vendor,
          method: "GET",
          path: call.shown,
          status,
          duration_ms: Math.round(performance.now() - started),
        });
      },
    });
    const { status } = response;
    if (response.ok) {
      if (declaresMoreThan(response, options.maxResponseBytes)) {
        await discard(response);
        throw failures.tooLarge(status);
      }
      const { text, truncated } = await readCapped(response, options.maxResponseBytes);
      if (truncated) throw failures.tooLarge(status);
      try {
        return { status, text, body: JSON.parse(text), headers: response.headers };
      } catch {
        throw failures.notJson(status, text);
      }
    }
    const { text, truncated } = await readCapped(response, ERROR_BODY_BYTES, { partial: true });
    if (status === 404) {
      return {
        status,
        text: failures.excerpt(text, truncated),
        body: undefined,
        headers: response.headers,
      };
    }
    throw failures.status(
      status,
      text,
      truncated,
      retryAfterMs(response.headers.get("retry-after")),
    );
  } catch (error) {
    if (error instanceof AttemptFailure) throw error;
    if (error instanceof RedirectRefused) throw failures.redirect(error);
    if (signal?.aborted) throw signal.reason ?? error;
    if (isTimeout(error)) {
      options.onOutcome("timeout");
      throw failures.timeout(error);
    }
    options.onOutcome("network");
    throw failures.network(error);
  } finally {
    deadline.clear();
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === "TimeoutError";
}
