/**
 * Turns a failed platform call into an {@link OpenCtiError} whose kind says
 * what to do about it, and whose message says what failed, why, and which
 * setting fixes it:
 *
 * - the connection failed (its cause read from the whole `cause` chain):
 *   certificate or TLS/plain mismatch → `tls`, refused, unknown host, reset
 *   or timeout → `network`, transient;
 * - the platform (HTTP 200 with `errors`, or 401/403) refused the token or the
 *   user's permissions → `auth`; its LTS licence is not activated
 *   (`LTS_REQUIRED_ACTIVATION`, which an unlicensed LTS platform answers to
 *   nearly every query) → `licence`; any other GraphQL error → `graphql`;
 * - HTTP 502/503/504 (a proxy while the platform restarts) → `http`,
 *   transient; HTTP 404 → `http` with the hint about the base URL; a
 *   redirect (never followed) → `redirect` naming the address to configure; any
 *   other status → `http`;
 * - an answer over the size the connector reads → `invalid_response`.
 *
 * OpenCTI answers HTTP 200 whenever the response has `errors`; each error has
 * `extensions.code`, which the platform also copies into `name`.
 *
 * @module
 */

import { ClientError } from "graphql-request";
import { describeConnectionFailure, OpenCtiError } from "../errors/mod.ts";
import type { Redactor } from "../log/mod.ts";
import { explainTlsFailure, type TlsSettings } from "./_tls.ts";
import { AnswerTooLarge, PlatformRedirect } from "./_answer_guard.ts";
import { displayUrl } from "./_endpoint.ts";

/** The fetch itself failed: nothing (or not all) reached or came back from the platform. */
export class NetworkFailure extends Error {}

/** What a classification needs to know about the call. */
export interface FailureContext {
  endpoint: string;
  operation: string;
  timeoutMs: number;
  /** True when the per-attempt timeout aborted the call. */
  timedOut: boolean;
  redactor: Redactor;
  tls: TlsSettings;
}

/** A GraphQL error as the platform sends it. */
export interface PlatformError {
  message?: unknown;
  name?: unknown;
  extensions?: { code?: unknown } | undefined;
}

const TRANSIENT_STATUSES = new Set([502, 503, 504]);
const AUTH_CODES = new Set(["AUTH_REQUIRED", "AUTH_FAILURE", "FORBIDDEN_ACCESS"]);
const LICENCE_CODE = /LTS_REQUIRED_ACTIVATION|LtsRequiredActivation|LICEN[CS]E/i;
const LICENCE_MESSAGE =
  /(activate|required|expired|invalid|missing)\b[^.]*\blicen[cs]e|\blicen[cs]e\b[^.]*\b(required|expired|not activated|invalid)/i;
const BODY_SNIPPET_LENGTH = 200;

/** Classifies a thrown error of one attempt. */
export async function classifyFailure(
  error: unknown,
  context: FailureContext,
): Promise<OpenCtiError> {
  if (error instanceof OpenCtiError) return error;
  const { operation, redactor } = context;
  const where = displayUrl(context.endpoint);
  if (context.timedOut) {
    return new OpenCtiError(
      `OpenCTI at "${where}" did not answer "${operation}" within ${
        duration(context.timeoutMs)
      } (OPENCTI_TIMEOUT sets the limit, in seconds)`,
      { kind: "network", transient: true, cause: error },
    );
  }
  if (error instanceof PlatformRedirect) return redirectFailure(error, context.operation, where);
  const tooLarge = findCause(error, AnswerTooLarge);
  if (tooLarge) {
    return new OpenCtiError(
      `OpenCTI answered "${operation}" with more than ${
        tooLarge.maxBytes / (1024 * 1024)
      } MB, more than any answer to the connector's queries: check what answers at "${where}" (a proxy in front of the platform?)`,
      { kind: "invalid_response" },
    );
  }
  if (error instanceof NetworkFailure) return await networkFailure(error.cause, context, where);
  if (error instanceof ClientError) {
    const { status, errors, body } = error.response;
    const text = snippet(body, redactor);
    if (TRANSIENT_STATUSES.has(status)) {
      return new OpenCtiError(`OpenCTI answered HTTP ${status} to "${operation}": ${text}`, {
        kind: "http",
        status,
        transient: true,
      });
    }
    if (errors && errors.length > 0) return graphQlFailure(errors, { operation, status, redactor });
    if (status === 401 || status === 403) {
      return new OpenCtiError(
        `OpenCTI refused "${operation}" with HTTP ${status}: ${text} (${AUTH_HINT})`,
        { kind: "auth", status },
      );
    }
    if (status === 404) {
      const suffix = /\/graphql\/graphql$/.test(new URL(context.endpoint).pathname)
        ? ` (it ends with "/graphql": remove that)`
        : "";
      return new OpenCtiError(
        `OpenCTI answered HTTP 404 to "${operation}" at "${where}": OPENCTI_URL (opencti.url) must be the platform's base URL, including any base path, without "/graphql"${suffix}`,
        { kind: "http", status },
      );
    }
    return new OpenCtiError(`OpenCTI answered HTTP ${status} to "${operation}": ${text}`, {
      kind: "http",
      status,
    });
  }
  if (isAbort(error)) {
    return new OpenCtiError(`OpenCTI call "${operation}" was aborted`, {
      kind: "network",
      transient: true,
      cause: error,
    });
  }
  // graphql-request throws anything else when a 2xx body is not a GraphQL answer.
  return new OpenCtiError(
    `OpenCTI answered "${operation}" with something that is not a GraphQL response: ${
      snippet(error instanceof Error ? error.message : String(error), redactor)
    }`,
    { kind: "invalid_response" },
  );
}

const AUTH_HINT =
  "check OPENCTI_TOKEN, and that the token's user has the permissions a connector needs";
const LICENCE_HINT =
  "the platform refuses every request until its LTS licence is activated; an administrator activates it in the platform's settings";

/** The error for a response carrying GraphQL `errors`: `licence`, `auth` or `graphql`. */
export function graphQlFailure(
  errors: readonly PlatformError[],
  context: { operation: string; status: number; redactor: Redactor },
): OpenCtiError {
  const { operation, status, redactor } = context;
  const licence = errors.find((error) =>
    LICENCE_CODE.test(codeOf(error) ?? "") || LICENCE_MESSAGE.test(messageOf(error))
  );
  const auth = errors.find((error) => AUTH_CODES.has(codeOf(error) ?? ""));
  const chosen = licence ?? auth ?? errors[0] ?? {};
  const code = codeOf(chosen);
  const message = messageOf(chosen) === "" ? "no message" : redactor.redact(messageOf(chosen));
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : "";
  const tagged = `${message}${code ? ` [${code}]` : ""}${more}`;
  const fields = { status, ...(code !== undefined ? { code } : {}) };
  if (licence) {
    return new OpenCtiError(`OpenCTI refused "${operation}": ${tagged}: ${LICENCE_HINT}`, {
      kind: "licence",
      ...fields,
    });
  }
  if (auth) {
    return new OpenCtiError(`OpenCTI refused "${operation}": ${tagged} (${AUTH_HINT})`, {
      kind: "auth",
      ...fields,
    });
  }
  return new OpenCtiError(`OpenCTI rejected "${operation}": ${tagged}`, {
    kind: "graphql",
    ...fields,
  });
}

function redirectFailure(
  redirect: PlatformRedirect,
  operation: string,
  where: string,
): OpenCtiError {
  const base = redirect.location?.replace(/\/graphql\/?$/, "");
  const fix = base
    ? `set OPENCTI_URL (opencti.url) to "${base}"`
    : "set OPENCTI_URL (opencti.url) to the address the platform answers at";
  return new OpenCtiError(
    `OpenCTI at "${where}" answered "${operation}" with HTTP ${redirect.status}, a redirect${
      redirect.location ? ` to "${redirect.location}"` : ""
    }: the connector sends its token only to OPENCTI_URL and follows no redirect; ${fix}`,
    { kind: "redirect", status: redirect.status },
  );
}

/** The first error of class `type` in the `cause` chain of `error`, itself included. */
function findCause<T extends Error>(
  error: unknown,
  type: new (...args: never[]) => T,
): T | undefined {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    if (current instanceof type) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

async function networkFailure(
  cause: unknown,
  context: FailureContext,
  where: string,
): Promise<OpenCtiError> {
  const failure = describeConnectionFailure(cause);
  const prefix = `Cannot reach OpenCTI at "${where}" for "${context.operation}"`;
  if (failure.kind === "certificate" || failure.kind === "tls_mismatch") {
    const explanation = await explainTlsFailure(failure, {
      endpoint: new URL(context.endpoint),
      tls: context.tls,
    });
    return new OpenCtiError(`${prefix}: ${context.redactor.redact(explanation)}`, {
      kind: "tls",
      cause,
    });
  }
  return new OpenCtiError(`${prefix}: ${context.redactor.redact(failure.reason)}`, {
    kind: "network",
    transient: failure.transient,
    cause,
  });
}

function codeOf(error: PlatformError): string | undefined {
  if (typeof error.extensions?.code === "string") return error.extensions.code;
  return typeof error.name === "string" ? error.name : undefined;
}

function messageOf(error: PlatformError): string {
  return typeof error.message === "string" ? error.message : "";
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

function duration(ms: number): string {
  return ms < 1000 || ms % 1000 !== 0 ? `${ms} ms` : `${ms / 1000} s`;
}

function snippet(body: string, redactor: Redactor): string {
  const text = redactor.redact(body).replace(/\s+/g, " ").trim();
  if (text === "") return "(empty body)";
  return text.length > BODY_SNIPPET_LENGTH ? `${text.slice(0, BODY_SNIPPET_LENGTH)}…` : text;
}
