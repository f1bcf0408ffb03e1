/**
 * The OpenCTI GraphQL client: version and token check, registration, ping,
 * work tracking, entity reads, playbook answers and labels. It satisfies the
 * runtime's `LifecyclePort` and `PlatformPort` structurally.
 *
 * - Registration sends only the input fields the platform has, found by
 *   introspection once per client (see `_registration.ts`).
 * - Every call has a timeout per attempt (`OPENCTI_TIMEOUT`) and retries
 *   transient failures (`OPENCTI_MAX_RETRIES`); `signal` ends calls and pauses
 *   at once. Errors say what failed and which setting fixes it (`_classify.ts`).
 * - TLS: Deno always verifies the platform's certificate; `tls.caCerts` adds
 *   CAs to trust, and `tls.verify: false` cannot turn verification off
 *   (see `_tls.ts`).
 *
 * @module
 */

import { type Logger, type Redactor, SecretRedactor } from "../log/mod.ts";
import { AboutAnswer, MeAnswer, PingAnswer, PlaybookAnswer, workAnswer } from "./_answers.ts";
import { displayUrl, graphQlEndpoint } from "./_endpoint.ts";
import { findOrCreateLabel, readEntity, readStix } from "./_reads.ts";
import { createRegistrar } from "./_registration.ts";
import { tlsHttpClient, type TlsSettings } from "./_tls.ts";
import { createTransport, type FetchLike, type RetryPolicy } from "./_transport.ts";
import {
  ABOUT,
  type GraphQlDocument,
  ME,
  PING_CONNECTOR,
  PLAYBOOK_STEP_EXECUTION,
  WORK_ADD_EXPECTATIONS,
  WORK_PING,
  WORK_TO_PROCESSED,
  WORK_TO_RECEIVED,
} from "./documents.ts";
import type { LifecyclePort, PlatformPort } from "../connector/mod.ts";
import type { EntityRead, MeRead, PlaybookStepArgs, RequestContext } from "./types.ts";

export { graphQlEndpoint } from "./_endpoint.ts";
export type { TlsSettings } from "./_tls.ts";
export type { FetchLike, RetryPolicy } from "./_transport.ts";

/** Per attempt, as `OPENCTI_TIMEOUT`'s default (60 s); pycti waits 300 s. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Default retry policy for transient failures (`OPENCTI_MAX_RETRIES` defaults to 6). */
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 6, baseDelayMs: 500, maxDelayMs: 10_000 };

/** Options of {@link createOpenCtiClient}. */
export interface OpenCtiClientOptions {
  /** The platform URL, including any base path; the endpoint is `url + "/graphql"`. */
  url: string;
  token: string;
  /** e.g. `opencti-enrich/0.1.0`. */
  userAgent: string;
  /** Extra headers of every call (`OPENCTI_CUSTOM_HEADERS`, parsed by the config loader). */
  customHeaders?: Record<string, string>;
  /** Per attempt (`OPENCTI_TIMEOUT` × 1000). Default {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Overrides parts of {@link DEFAULT_RETRY}; `maxRetries` is `OPENCTI_MAX_RETRIES`. */
  retry?: Partial<RetryPolicy>;
  logger: Logger;
  /** Masks secrets in error messages; the token is always masked. */
  redactor?: Redactor;
  /** How the platform's certificate is checked. Default `{ verify: true }`. */
  tls?: TlsSettings;
  /** Aborting it ends every call in flight and every pause between attempts; they reject with its reason. */
  signal?: AbortSignal;
  /** For tests. */
  fetch?: FetchLike;
  /** For tests: how pauses between attempts wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** For tests: the jitter source, in [0, 1). */
  random?: () => number;
}

/**
 * The client: the runtime's lifecycle and platform ports (the reads return
 * the wider {@link EntityRead}, the work calls the work id) plus `me()` and
 * `close()`. `registerConnector` sends the input fields the platform has
 * (found by introspection once); `platformVersion` decides the 6.8.9 fields
 * only when the platform refuses introspection. `ensureLabel` is cached per
 * client.
 */
export interface OpenCtiClient extends LifecyclePort, PlatformPort {
  /** The GraphQL endpoint, without credentials. */
  readonly endpoint: string;
  /** The user the token belongs to. */
  me(): Promise<MeRead>;
  toReceived(workId: string, message: string): Promise<string>;
  toProcessed(workId: string, message: string, inError: boolean): Promise<string>;
  addExpectations(workId: string, count: number): Promise<string>;
  pingWork(workId: string): Promise<string>;
  readEntity(id: string, context?: RequestContext): Promise<EntityRead | null>;
  playbookStepExecution(args: PlaybookStepArgs): Promise<boolean | null>;
  /** Releases the custom-CA HTTP client, if one was created. */
  close(): Promise<void>;
}

/**
 * Creates the client from options the config loader validated (an http(s)
 * URL, a token, parsed headers, checked CA texts); it checks none of them again.
 */
export function createOpenCtiClient(options: OpenCtiClientOptions): OpenCtiClient {
  const endpoint = graphQlEndpoint(options.url);
  const logger = options.logger;
  const tls = options.tls ?? { verify: true };
  const makeHttpClient = tlsHttpClient(tls);
  let httpClient: Deno.HttpClient | undefined;
  const tokenRedactor = new SecretRedactor();
  tokenRedactor.add(options.token);
  const outer = options.redactor;
  const transport = createTransport({
    endpoint,
    token: options.token,
    userAgent: options.userAgent,
    customHeaders: options.customHeaders ?? {},
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    logger,
    redactor: {
      redact: (text) => tokenRedactor.redact(outer ? outer.redact(text) : text),
    },
    tls,
    fetch: options.fetch ?? fetch,
    ...(options.sleep ? { sleep: options.sleep } : {}),
    random: options.random ?? Math.random,
    ...(options.signal ? { signal: options.signal } : {}),
    httpClient: () => {
      if (makeHttpClient) httpClient ??= makeHttpClient();
      return httpClient;
    },
  });
  const registrar = createRegistrar(transport, logger);
  const labels = new Map<string, Promise<string>>();

  const work = async (
    field: "toReceived" | "toProcessed" | "addExpectations" | "ping",
    document: GraphQlDocument,
    variables: Record<string, unknown>,
  ) => {
    const data = await transport.request(document, variables, { schema: workAnswer(field) });
    return data.workEdit[field] ?? String(variables.id);
  };

  return {
    endpoint: displayUrl(endpoint),

    async about() {
      const data = await transport.request(ABOUT, {}, { schema: AboutAnswer });
      return { version: data.about.version };
    },

    async me() {
      const data = await transport.request(ME, {}, { schema: MeAnswer });
      return { id: data.me.id, name: data.me.name, userEmail: data.me.user_email };
    },

    registerConnector(input, { platformVersion }) {
      return registrar.register(input, platformVersion);
    },

    async pingConnector(id, { state, info }) {
      const data = await transport.request(PING_CONNECTOR, {
        id,
        state: state ?? "null",
        connectorInfo: info,
      }, { schema: PingAnswer });
      return { connectorState: data.pingConnector.connector_state ?? null };
    },

    toReceived(workId, message) {
      return work("toReceived", WORK_TO_RECEIVED, { id: workId, message });
    },

    toProcessed(workId, message, inError) {
      return work("toProcessed", WORK_TO_PROCESSED, { id: workId, message, inError });
    },

    addExpectations(workId, count) {
      if (!Number.isInteger(count)) {
        return Promise.reject(
          new RangeError(`Expectations must be a whole number, got "${count}"`),
        );
      }
      return work("addExpectations", WORK_ADD_EXPECTATIONS, { id: workId, expectations: count });
    },

    pingWork(workId) {
      return work("ping", WORK_PING, { id: workId });
    },

    readEntity(id, context) {
      return readEntity(transport, id, context);
    },

    readStix(id, context) {
      return readStix(transport, id, context);
    },

    async playbookStepExecution(args) {
      const data = await transport.request(PLAYBOOK_STEP_EXECUTION, { ...args }, {
        schema: PlaybookAnswer,
      });
      return data.playbookStepExecution;
    },

    ensureLabel(value, color) {
      let pending = labels.get(value);
      if (!pending) {
        pending = findOrCreateLabel(transport, logger, { value, color });
        labels.set(value, pending);
        // A failure is not cached: the next message tries again.
        pending.catch(() => labels.delete(value));
      }
      return pending;
    },

    close() {
      httpClient?.close();
      httpClient = undefined;
      return Promise.resolve();
    },
  };
}
