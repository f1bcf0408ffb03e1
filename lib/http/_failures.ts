/**
 * How each way a vendor call can fail is worded and classified: its
 * `VendorError` kind, whether another attempt may help, and how long the
 * vendor asked us to wait. Every text that comes from the vendor or the
 * runtime is redacted before it is cut, so a cut never leaves the first
 * characters of a key behind.
 *
 * @module
 */

import { describeConnectionFailure, VendorError, type VendorErrorKind } from "../errors/mod.ts";
import type { Redactor } from "../log/mod.ts";
import type { RetryError } from "../async/mod.ts";
import type { RedirectRefused } from "./_redirects.ts";
import { MAX_REDIRECTS } from "./_redirects.ts";

/** Statuses worth another attempt. */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Longest excerpt of a vendor body quoted in an error. */
const EXCERPT_LENGTH = 200;

/** Characters dropped from the end of a body cut short: longer than any API key. */
const CUT_WORD_LENGTH = 256;
const CUT_WORD = new RegExp(`\\S{0,${CUT_WORD_LENGTH}}$`);

/** How to trust a private CA in Deno, for the program run from source and for the compiled binary. */
export const CA_HINT =
  "set DENO_CERT=<path to the CA's PEM file> to trust a private CA, or DENO_TLS_CA_STORE=system to use the system trust store (both are Deno runtime environment variables, read by deno run and by the compiled binary)";

/** One failed attempt: the error to report and whether to try again. */
export class AttemptFailure extends Error {
  /** The error the caller gets if this is the last attempt. */
  readonly error: VendorError;
  /** True when another attempt may succeed. */
  readonly retriable: boolean;
  /** The pause the vendor asked for (`Retry-After`), in ms. */
  readonly waitMs: number | undefined;

  /** Wraps `error`. */
  constructor(error: VendorError, retriable: boolean, waitMs?: number) {
    super(error.message, { cause: error });
    this.error = error;
    this.retriable = retriable;
    this.waitMs = waitMs;
  }
}

/** What the messages of one call quote. */
export interface FailureContext {
  /** Registry name, the error's `vendor`. */
  vendor: string;
  /** The vendor's name as people write it. */
  title: string;
  /** The path asked, relative to the base URL, redacted. */
  shown: string;
  /** The base URL without credentials, query or fragment, redacted. */
  where: string;
  timeoutMs: number;
  maxResponseBytes: number;
  /** The setting that raises the size cap, e.g. `SILENTPUSH_MAX_RESPONSE_MB`. */
  maxResponseSetting: string | undefined;
  redactor: Redactor;
}

/** Builds the failures of one call. */
export class Failures {
  readonly #c: FailureContext;

  /** Binds the messages to one call. */
  constructor(context: FailureContext) {
    this.#c = context;
  }

  /** A non-2xx answer other than a redirect; `body` is its first bytes. */
  status(status: number, body: string, truncated: boolean, waitMs?: number): AttemptFailure {
    const kind = kindOfStatus(status);
    const error = this.#error(this.#answered(status, body, truncated), kind, status);
    return new AttemptFailure(error, RETRY_STATUSES.has(status), waitMs);
  }

  /** The `not_found` error of a 404, live or from the cache (`body` is already an excerpt source). */
  notFound(body: string): VendorError {
    return this.#error(this.#answered(404, body, false), "not_found", 404);
  }

  /** A 2xx answer that does not parse as JSON. */
  notJson(status: number, body: string): AttemptFailure {
    const { title, shown } = this.#c;
    const message = `${title} answered "${shown}" with HTTP ${status} but not JSON: ${
      this.excerpt(body, false)
    }`;
    return new AttemptFailure(this.#error(message, "invalid_response", status), false);
  }

  /** A 2xx answer longer than the cap. */
  tooLarge(status: number): AttemptFailure {
    const { title, shown, maxResponseBytes, maxResponseSetting } = this.#c;
    const raise = maxResponseSetting
      ? `raise ${maxResponseSetting} if answers this large are expected`
      : "raise the client's maxResponseBytes if answers this large are expected";
    const message = `${title} answered "${shown}" with more than ${
      formatSize(maxResponseBytes)
    }; ${raise}`;
    return new AttemptFailure(this.#error(message, "invalid_response", status), false);
  }

  /** A redirect that was not followed. */
  redirect(refused: RedirectRefused): AttemptFailure {
    const { title, shown } = this.#c;
    const head = `${title} answered "${shown}" with HTTP ${refused.status}`;
    const message = refused.reason === "foreign"
      ? `${head}, a redirect to another origin (${
        this.#c.redactor.redact(refused.target ?? "")
      }): not followed, so the API key is never sent there; check the vendor's API base URL`
      : refused.reason === "loop"
      ? `${head} after ${MAX_REDIRECTS} redirects: not followed further`
      : `${head}, a redirect without a usable Location header`;
    return new AttemptFailure(this.#error(message, "invalid_response", refused.status), false);
  }

  /** The attempt's deadline passed. */
  timeout(cause: unknown): AttemptFailure {
    const { title, shown, timeoutMs } = this.#c;
    const message = `${title} did not answer "${shown}" within ${timeoutMs} ms`;
    return new AttemptFailure(this.#error(message, "timeout", undefined, cause), true);
  }

  /** The request could not be sent or the connection failed. */
  network(cause: unknown): AttemptFailure {
    const { title, shown, where } = this.#c;
    const failure = describeConnectionFailure(cause);
    const tls = failure.kind === "certificate" || failure.kind === "tls_mismatch";
    const kind: VendorErrorKind = tls
      ? "certificate"
      : failure.kind === "timeout"
      ? "timeout"
      : "network";
    const hint = failure.kind === "certificate" ? `; ${CA_HINT}` : "";
    const reason = this.#c.redactor.redact(failure.reason);
    const message = `Cannot reach ${title} at ${where} for "${shown}": ${reason}${hint}`;
    return new AttemptFailure(this.#error(message, kind, undefined, cause), failure.transient);
  }

  /** The last failure once attempts ran out. */
  exhausted(error: RetryError): VendorError {
    const last = error.cause instanceof AttemptFailure ? error.cause.error : undefined;
    if (!last) return this.#error(this.#c.redactor.redact(error.message), "network");
    const suffix = error.attempts > 1 ? ` (gave up after ${error.attempts} attempts)` : "";
    return new VendorError(`${last.message}${suffix}`, {
      vendor: last.vendor,
      kind: last.kind,
      ...(last.status !== undefined ? { status: last.status } : {}),
      cause: last.cause,
    });
  }

  /**
   * Redacts, then folds white space and cuts to the excerpt length. When the
   * body was cut before it reached us, the end of its last word (up to
   * {@link CUT_WORD_LENGTH} characters) is dropped too: it may be the start of
   * a key the redactor cannot recognise.
   */
  excerpt(text: string, truncated: boolean): string {
    let clean = this.#c.redactor.redact(text);
    if (truncated) clean = clean.slice(0, clean.search(CUT_WORD));
    const flat = clean.replace(/\s+/g, " ").trim();
    if (flat.length > EXCERPT_LENGTH) return `${flat.slice(0, EXCERPT_LENGTH)}…`;
    return truncated && flat ? `${flat}…` : flat;
  }

  #answered(status: number, body: string, truncated: boolean): string {
    const quoted = this.excerpt(body, truncated);
    return `${this.#c.title} answered "${this.#c.shown}" with HTTP ${status}${
      quoted ? `: ${quoted}` : ""
    }`;
  }

  #error(message: string, kind: VendorErrorKind, status?: number, cause?: unknown): VendorError {
    return new VendorError(message, {
      vendor: this.#c.vendor,
      kind,
      ...(status !== undefined ? { status } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
  }
}

/** The error kind of an HTTP status. */
export function kindOfStatus(status: number): VendorErrorKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not_found";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server";
  return "client";
}

function formatSize(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  if (mib >= 1) return `${Math.round(mib * 100) / 100} MB`;
  return `${bytes} bytes`;
}
