/**
 * One GraphQL call to the platform, with timeout, retries on transient
 * failures and error classification (opencti-protocol.md §2.1). The only
 * place that touches graphql-request.
 *
 * @module
 */

import { ClientError, GraphQLClient } from "graphql-request";
import type { z } from "zod";
import { OpenCtiError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { GraphQlDocument } from "./documents.ts";
import { buildHeaders } from "./headers.ts";

/** A `fetch`-compatible function. */
export type FetchLike = (input: URL | Request | string, init?: RequestInit) => Promise<Response>;

/** How transient failures are retried: exponential backoff with jitter. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Options of {@link createTransport}. */
export interface TransportOptions {
  endpoint: string;
  token: string;
  userAgent: string;
  customHeaders: Record<string, string>;
  timeoutMs: number;
  retry: RetryPolicy;
  logger: Logger;
  fetch: FetchLike;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Resolves the Deno HTTP client carrying a custom CA bundle, when one is configured. */
  httpClient: () => Promise<Deno.HttpClient | undefined>;
}

/** Sends documents to the platform. */
export interface Transport {
  /** Sends `document` and returns its `data`, validated by `schema`. */
  request<T>(
    document: GraphQlDocument,
    variables: Record<string, unknown>,
    options: { schema: z.ZodType<T>; draftId?: string | null | undefined },
  ): Promise<T>;
}

/** HTTP statuses a proxy answers while the platform restarts or is overloaded. */
const TRANSIENT_STATUSES = new Set([502, 503, 504]);
const AUTH_CODES = new Set(["AUTH_REQUIRED", "FORBIDDEN_ACCESS"]);
const BODY_SNIPPET_LENGTH = 200;

/** The fetch itself failed: nothing (or not all) reached or came back from the platform. */
class NetworkFailure extends Error {}

/** Creates the transport. */
export function createTransport(options: TransportOptions): Transport {
  let client: Promise<GraphQLClient> | undefined;
  const graphql = () => {
    client ??= options.httpClient().then((httpClient) => {
      const fetch = async (input: URL | Request | string, init?: RequestInit) => {
        try {
          const extended: RequestInit & { client?: Deno.HttpClient } = { ...init };
          if (httpClient) extended.client = httpClient;
          return await options.fetch(input, extended);
        } catch (error) {
          throw new NetworkFailure(scrub(errorText(error), options.token), { cause: error });
        }
      };
      // Like pycti, the body is {query, variables}: without excludeOperationName the
      // library would parse every document again just to name its operation.
      return new GraphQLClient(options.endpoint, {
        fetch,
        errorPolicy: "all",
        excludeOperationName: true,
      });
    }).catch((error) => {
      client = undefined;
      throw error;
    });
    return client;
  };

  const attempt = async <T>(
    document: GraphQlDocument,
    variables: Record<string, unknown>,
    schema: z.ZodType<T>,
    draftId: string | null | undefined,
  ): Promise<T> => {
    const gql = await graphql();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    let response;
    try {
      response = await gql.rawRequest<unknown>({
        query: document.query,
        variables,
        requestHeaders: buildHeaders({
          token: options.token,
          userAgent: options.userAgent,
          custom: options.customHeaders,
          draftId,
        }),
        signal: controller.signal,
      });
    } catch (error) {
      throw classify(error, document.name, { ...options, timedOut });
    } finally {
      clearTimeout(timer);
    }
    if (response.errors && response.errors.length > 0) {
      throw graphQlError(response.errors, document.name, response.status, options.token);
    }
    const parsed = schema.safeParse(response.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at "${issue.path.join(".")}"` : "";
      throw new OpenCtiError(
        `OpenCTI answered "${document.name}" with an unexpected shape${where}: ${
          issue?.message ?? "invalid"
        }`,
        { kind: "invalid_response", status: response.status },
      );
    }
    return parsed.data;
  };

  return {
    async request(document, variables, { schema, draftId }) {
      const { logger, retry } = options;
      for (let attemptIndex = 0;; attemptIndex++) {
        const started = performance.now();
        try {
          const data = await attempt(document, variables, schema, draftId);
          if (logger.enabled("debug")) {
            logger.debug("OpenCTI call done", {
              operation: document.name,
              duration_ms: Math.round(performance.now() - started),
            });
          }
          return data;
        } catch (error) {
          if (!(error instanceof OpenCtiError) || !error.transient) throw error;
          if (attemptIndex >= retry.maxRetries) throw exhausted(error, attemptIndex + 1);
          const delay = backoff(attemptIndex, retry, options.random);
          logger.warning("OpenCTI call failed, retrying", {
            operation: document.name,
            attempt: attemptIndex + 1,
            delay_ms: delay,
            reason: error.message,
          });
          await options.sleep(delay);
        }
      }
    },
  };
}

/** The delay before retry `attemptIndex + 1`: exponential, capped, with "equal jitter" (half fixed, half random). */
export function backoff(attemptIndex: number, retry: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attemptIndex);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

function exhausted(error: OpenCtiError, attempts: number): OpenCtiError {
  if (attempts <= 1) return error;
  return new OpenCtiError(`${error.message} (gave up after ${attempts} attempts)`, {
    kind: error.kind,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.code !== undefined ? { code: error.code } : {}),
    transient: true,
    cause: error,
  });
}

interface ClassifyContext {
  endpoint: string;
  token: string;
  timeoutMs: number;
  timedOut: boolean;
}

function classify(error: unknown, operation: string, context: ClassifyContext): OpenCtiError {
  if (error instanceof OpenCtiError) return error;
  const where = displayUrl(context.endpoint);
  if (context.timedOut) {
    return new OpenCtiError(
      `OpenCTI at "${where}" did not answer "${operation}" within ${context.timeoutMs} ms`,
      { kind: "network", transient: true, cause: error },
    );
  }
  if (error instanceof NetworkFailure) {
    return new OpenCtiError(
      `Cannot reach OpenCTI at "${where}" for "${operation}": ${error.message}${
        certificateHint(error.message)
      }`,
      { kind: "network", transient: true, cause: error.cause },
    );
  }
  if (error instanceof ClientError) {
    const { status, errors, body } = error.response;
    if (TRANSIENT_STATUSES.has(status)) {
      return new OpenCtiError(
        `OpenCTI answered HTTP ${status} to "${operation}": ${snippet(body, context.token)}`,
        { kind: "http", status, transient: true },
      );
    }
    if (errors && errors.length > 0) return graphQlError(errors, operation, status, context.token);
    return new OpenCtiError(
      `OpenCTI answered HTTP ${status} to "${operation}": ${snippet(body, context.token)}`,
      { kind: "http", status },
    );
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
      snippet(errorText(error), context.token)
    }`,
    { kind: "invalid_response" },
  );
}

interface PlatformError {
  message?: unknown;
  name?: unknown;
  extensions?: { code?: unknown } | undefined;
}

function graphQlError(
  errors: readonly PlatformError[],
  operation: string,
  status: number,
  token: string,
): OpenCtiError {
  const first = errors[0] ?? {};
  const code = typeof first.extensions?.code === "string"
    ? first.extensions.code
    : typeof first.name === "string"
    ? first.name
    : undefined;
  const message = typeof first.message === "string" && first.message !== ""
    ? scrub(first.message, token)
    : "no message";
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : "";
  const isAuth = code !== undefined && AUTH_CODES.has(code);
  const prefix = isAuth
    ? `OpenCTI refused "${operation}" (check the token and the connector user's permissions)`
    : `OpenCTI rejected "${operation}"`;
  return new OpenCtiError(`${prefix}: ${message}${code ? ` [${code}]` : ""}${more}`, {
    kind: isAuth ? "auth" : "graphql",
    status,
    ...(code !== undefined ? { code } : {}),
  });
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function snippet(body: string, token: string): string {
  const text = scrub(body, token).replace(/\s+/g, " ").trim();
  if (text === "") return "(empty body)";
  return text.length > BODY_SNIPPET_LENGTH ? `${text.slice(0, BODY_SNIPPET_LENGTH)}…` : text;
}

/** Removes the token, should a proxy or the platform ever echo it. */
function scrub(text: string, token: string): string {
  return token === "" ? text : text.replaceAll(token, "***");
}

function certificateHint(message: string): string {
  return /certificate|tls|ssl/i.test(message)
    ? " (Deno always verifies certificates: set opencti.ssl_verify / OPENCTI_SSL_VERIFY to the path of the CA bundle that signed the platform's certificate)"
    : "";
}

/** The endpoint without any credentials embedded in it. */
export function displayUrl(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = "";
    url.password = "";
    return url.toString();
  } catch {
    return endpoint;
  }
}
