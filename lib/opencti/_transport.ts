/**
 * One GraphQL call to the platform: `POST <url>/graphql` with
 * `{query, variables}` (no `operationName`, as pycti sends it), no redirect
 * followed and the answer's size bounded (`_answer_guard.ts`), a timeout per
 * attempt, retries of transient failures with exponential backoff and equal
 * jitter, and the error classification of `_classify.ts`. The caller's
 * `signal` aborts the call in flight and any pause between attempts at once;
 * the call then rejects with the signal's reason. The only place that touches
 * graphql-request.
 *
 * @module
 */

import { GraphQLClient } from "graphql-request";
import type { z } from "zod";
import { retry, RetryError } from "../async/mod.ts";
import { OpenCtiError } from "../errors/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import { guardAnswer } from "./_answer_guard.ts";
import { classifyFailure, graphQlFailure, NetworkFailure } from "./_classify.ts";
import type { TlsSettings } from "./_tls.ts";
import type { GraphQlDocument } from "./documents.ts";
import { buildHeaders } from "./headers.ts";

/** A `fetch`-compatible function. */
export type FetchLike = (input: URL | Request | string, init?: RequestInit) => Promise<Response>;

/** How transient failures are retried: exponential backoff with equal jitter (half fixed, half random). */
export interface RetryPolicy {
  /** Retries after the first attempt (`OPENCTI_MAX_RETRIES`). */
  maxRetries: number;
  /** Ceiling of the first pause, ms. */
  baseDelayMs: number;
  /** Largest pause, ms. */
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
  redactor: Redactor;
  tls: TlsSettings;
  fetch: FetchLike;
  /** How pauses between attempts wait; default an abortable timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  signal?: AbortSignal;
  /** The Deno HTTP client carrying the extra CAs, when there are some. */
  httpClient: () => Deno.HttpClient | undefined;
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

/** Creates the transport. */
export function createTransport(options: TransportOptions): Transport {
  const { logger, redactor, signal } = options;
  let client: GraphQLClient | undefined;
  let httpClient: Deno.HttpClient | undefined;
  const graphql = () => {
    // Outside fetch: a CA bundle Deno refuses is a ConfigError, not a network failure.
    httpClient = options.httpClient();
    if (client) return client;
    const fetch = async (input: URL | Request | string, init?: RequestInit) => {
      let response: Response;
      try {
        const extended: RequestInit & { client?: Deno.HttpClient } = {
          ...init,
          redirect: "manual",
        };
        if (httpClient) extended.client = httpClient;
        response = await options.fetch(input, extended);
      } catch (error) {
        throw new NetworkFailure("The request to OpenCTI failed", { cause: error });
      }
      return await guardAnswer(response, { requestUrl: options.endpoint });
    };
    // Like pycti, the body is {query, variables}: without excludeOperationName the
    // library would parse every document again just to name its operation.
    client = new GraphQLClient(options.endpoint, {
      fetch,
      errorPolicy: "all",
      excludeOperationName: true,
    });
    return client;
  };

  const attempt = async <T>(
    document: GraphQlDocument,
    variables: Record<string, unknown>,
    schema: z.ZodType<T>,
    draftId: string | null | undefined,
  ): Promise<T> => {
    signal?.throwIfAborted();
    const gql = graphql();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    const forward = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", forward, { once: true });
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
      signal?.throwIfAborted();
      throw await classifyFailure(error, {
        endpoint: options.endpoint,
        operation: document.name,
        timeoutMs: options.timeoutMs,
        timedOut,
        redactor,
        tls: options.tls,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", forward);
    }
    if (response.errors && response.errors.length > 0) {
      throw graphQlFailure(response.errors, {
        operation: document.name,
        status: response.status,
        redactor,
      });
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
      const { retry: policy } = options;
      const started = performance.now();
      try {
        const data = await retry(() => attempt(document, variables, schema, draftId), {
          maxAttempts: policy.maxRetries + 1,
          minTimeout: policy.baseDelayMs,
          maxTimeout: policy.maxDelayMs,
          multiplier: 2,
          jitter: 0.5,
          random: options.random,
          isRetriable: (error) => error instanceof OpenCtiError && error.transient,
          onRetry: (error, { attempt, delayMs }) =>
            logger.warning("OpenCTI call failed, retrying", {
              operation: document.name,
              attempt,
              delay_ms: delayMs,
              reason: error instanceof Error ? error.message : String(error),
            }),
          ...(options.sleep ? { sleep: options.sleep } : {}),
          ...(signal ? { signal } : {}),
        });
        if (logger.enabled("debug")) {
          logger.debug("OpenCTI call done", {
            operation: document.name,
            duration_ms: Math.round(performance.now() - started),
          });
        }
        return data;
      } catch (error) {
        signal?.throwIfAborted();
        if (error instanceof RetryError && error.cause instanceof OpenCtiError) {
          throw exhausted(error.cause, error.attempts);
        }
        throw error;
      }
    },
  };
}

function exhausted(error: OpenCtiError, attempts: number): OpenCtiError {
  if (attempts <= 1) return error;
  return new OpenCtiError(
    `${error.message} (gave up after ${attempts} attempts; OPENCTI_MAX_RETRIES sets the retries)`,
    {
      kind: error.kind,
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(error.code !== undefined ? { code: error.code } : {}),
      transient: true,
      cause: error,
    },
  );
}
