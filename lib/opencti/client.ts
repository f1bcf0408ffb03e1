/**
 * The OpenCTI GraphQL client: version and token check, registration, ping,
 * work tracking, entity reads, playbook answers and labels
 * (opencti-protocol.md §2, §3, §4.3, §4.4, §6; silentpush.md §3.3). It
 * satisfies the runtime's `LifecyclePort` and `PlatformPort` structurally.
 *
 * TLS: Deno always verifies the platform's certificate. `sslVerify: true` uses
 * the system/Mozilla roots; a string is the path of a PEM CA bundle that is
 * added to them. `sslVerify: false` (pycti's default) cannot turn verification
 * off from code: Deno offers that only process-wide, with the
 * `--unsafely-ignore-certificate-errors=<host>` flag. So `false` behaves like
 * `true`, and a certificate failure says how to fix it.
 *
 * @module
 */

import { ConfigError, OpenCtiError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import {
  AboutAnswer,
  EntityAnswer,
  LabelAddAnswer,
  LabelsAnswer,
  MeAnswer,
  PingAnswer,
  PlaybookAnswer,
  RegisterAnswer,
  StixAnswer,
  workAnswer,
} from "./_answers.ts";
import { createTransport, displayUrl, type FetchLike, type RetryPolicy } from "./_transport.ts";
import {
  ABOUT,
  ADD_LABEL,
  type GraphQlDocument,
  labelFilter,
  ME,
  PING_CONNECTOR,
  PLAYBOOK_STEP_EXECUTION,
  READ_ENTITY,
  READ_LABEL,
  READ_STIX,
  REGISTER_CONNECTOR,
  REGISTER_CONNECTOR_LEGACY,
  WORK_ADD_EXPECTATIONS,
  WORK_PING,
  WORK_TO_PROCESSED,
  WORK_TO_RECEIVED,
} from "./documents.ts";
import { parseCustomHeaders } from "./headers.ts";
import type {
  ConnectorInfo,
  EntityRead,
  MeRead,
  PlaybookStepArgs,
  RegisterInput,
  Registration,
  RequestContext,
} from "./types.ts";
import { supportsEnrichmentUpdateFields } from "./version.ts";

export type { FetchLike, RetryPolicy } from "./_transport.ts";

/** pycti waits 300 s; 120 s is plenty for the small calls a connector makes. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/** Default retry policy for transient failures. */
export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 6, baseDelayMs: 500, maxDelayMs: 10_000 };

/** Options of {@link createOpenCtiClient}. */
export interface OpenCtiClientOptions {
  /** The platform URL, including any base path; the endpoint is `url + "/graphql"`. */
  url: string;
  token: string;
  /** e.g. `opencti-enrich/0.1.0`. */
  userAgent: string;
  /** pycti's `"h1:v1;h2:v2"` form. */
  customHeaders?: string;
  /** Per attempt. Default {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Overrides parts of {@link DEFAULT_RETRY}. */
  retry?: Partial<RetryPolicy>;
  logger: Logger;
  /** true, false (see the module docs: Deno still verifies) or the path of a PEM CA bundle. */
  sslVerify?: boolean | string;
  /** For tests. */
  fetch?: FetchLike;
  /** For tests: how retries wait. */
  sleep?: (ms: number) => Promise<void>;
  /** For tests: the jitter source, in [0, 1). */
  random?: () => number;
}

/** The client: the runtime's lifecycle and platform ports plus `me()` and `close()`. */
export interface OpenCtiClient {
  /** The GraphQL endpoint, without credentials. */
  readonly endpoint: string;
  /** `about { version }`; also fails on a bad token. */
  about(): Promise<{ version: string }>;
  /** The user the token belongs to. */
  me(): Promise<MeRead>;
  /** Registers the connector; drops the 6.8.9+ fields for older platforms. */
  registerConnector(
    input: RegisterInput,
    options: { platformVersion: string },
  ): Promise<Registration>;
  /** Pings the connector; `state` null is sent as pycti's `"null"`. */
  pingConnector(
    id: string,
    options: { state: string | null; info: ConnectorInfo },
  ): Promise<{ connectorState: string | null }>;
  /** Work: processing started. */
  toReceived(workId: string, message: string): Promise<string>;
  /** Work: processing ended, in error or not. */
  toProcessed(workId: string, message: string, inError: boolean): Promise<string>;
  /** Work: adds (or, when negative, takes back) expected worker reports. */
  addExpectations(workId: string, count: number): Promise<string>;
  /** Work: keeps it alive. */
  pingWork(workId: string): Promise<string>;
  /** The entity with its markings and author; null when it does not exist or is not visible. */
  readEntity(id: string, context?: RequestContext): Promise<EntityRead | null>;
  /** The entity's STIX export, parsed; null when there is none. */
  readStix(id: string, context?: RequestContext): Promise<Record<string, unknown> | null>;
  /** Hands a bundle back to a playbook. */
  playbookStepExecution(args: PlaybookStepArgs): Promise<boolean | null>;
  /** Returns the label's value, creating the label with `color` when missing; cached per client. */
  ensureLabel(value: string, color: string): Promise<string>;
  /** Releases the custom-CA HTTP client, if one was created. */
  close(): Promise<void>;
}

/** Creates the client. Throws a `ConfigError` on an unusable URL, token or custom headers. */
export function createOpenCtiClient(options: OpenCtiClientOptions): OpenCtiClient {
  const endpoint = graphQlEndpoint(options.url);
  if (options.token.trim() === "") {
    throw new ConfigError([{ path: "opencti.token", env: "OPENCTI_TOKEN", message: "is empty" }]);
  }
  const customHeaders = options.customHeaders ? parseCustomHeaders(options.customHeaders) : {};
  const logger = options.logger;
  const caBundle = typeof options.sslVerify === "string" ? options.sslVerify : undefined;
  if (options.sslVerify === false && endpoint.startsWith("https:")) {
    logger.debug(
      "opencti.ssl_verify is false, but Deno always verifies TLS certificates; set it to a CA bundle path for a private CA",
    );
  }
  let httpClient: Promise<Deno.HttpClient | undefined> | undefined;
  const transport = createTransport({
    endpoint,
    token: options.token,
    userAgent: options.userAgent,
    customHeaders,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    logger,
    fetch: options.fetch ?? fetch,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    httpClient: () => {
      httpClient ??= caBundle ? createCaClient(caBundle) : Promise.resolve(undefined);
      return httpClient;
    },
  });
  const labels = new Map<string, Promise<string>>();

  const work = async (
    field: "toReceived" | "toProcessed" | "addExpectations" | "ping",
    document: GraphQlDocument,
    variables: Record<string, unknown>,
  ) => {
    const data = await transport.request(document, variables, { schema: workAnswer(field) });
    return data.workEdit[field] ?? String(variables.id);
  };

  const createLabel = async (value: string, color: string): Promise<string> => {
    const found = await transport.request(READ_LABEL, { filters: labelFilter(value) }, {
      schema: LabelsAnswer,
    });
    const existing = found.labels?.edges[0]?.node.value;
    if (existing) return existing;
    let created;
    try {
      created = await transport.request(ADD_LABEL, { input: { value, color } }, {
        schema: LabelAddAnswer,
      });
    } catch (error) {
      if (error instanceof OpenCtiError && error.kind === "auth") {
        throw new OpenCtiError(
          `Cannot create label "${value}": the connector's user may not create labels (give it the "Manage labels" capability or create the label beforehand)`,
          { kind: "auth", ...(error.code ? { code: error.code } : {}), cause: error },
        );
      }
      throw error;
    }
    if (!created.labelAdd?.value) {
      throw new OpenCtiError(`Cannot create label "${value}": the platform returned no label`, {
        kind: "invalid_response",
      });
    }
    logger.debug("Label created", { label: created.labelAdd.value });
    return created.labelAdd.value;
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

    async registerConnector(input, { platformVersion }) {
      const base = {
        id: input.id,
        name: input.name,
        type: input.type,
        scope: input.scope,
        auto: input.auto,
        only_contextual: input.only_contextual,
        playbook_compatible: input.playbook_compatible,
        listen_callback_uri: input.listen_callback_uri,
      };
      let data;
      if (supportsEnrichmentUpdateFields(platformVersion)) {
        data = await transport.request(REGISTER_CONNECTOR, {
          ...base,
          auto_update: input.auto_update,
          enrichment_resolution: input.enrichment_resolution,
        }, { schema: RegisterAnswer });
      } else {
        if (input.auto_update) {
          logger.warning(
            "auto_update needs OpenCTI 6.8.9 or later; not sent, so updates will not trigger enrichment",
            { platform_version: platformVersion, connector_id: input.id },
          );
        }
        data = await transport.request(REGISTER_CONNECTOR_LEGACY, base, {
          schema: RegisterAnswer,
        });
      }
      const answer = data.registerConnector;
      const { connection } = answer.config;
      return {
        id: answer.id,
        connectorState: answer.connector_state,
        connectorUserId: answer.connector_user_id,
        config: {
          connection: {
            host: connection.host,
            port: connection.port,
            vhost: connection.vhost,
            useSsl: connection.use_ssl,
            user: connection.user,
            pass: connection.pass,
          },
          listen: answer.config.listen,
          listenRouting: answer.config.listen_routing,
          listenExchange: answer.config.listen_exchange,
          push: answer.config.push,
          pushRouting: answer.config.push_routing,
          pushExchange: answer.config.push_exchange,
        },
      };
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

    async readEntity(id, context) {
      const data = await transport.request(READ_ENTITY, { id }, {
        schema: EntityAnswer,
        draftId: context?.draftId,
      });
      const entity = data.stixCoreObject;
      if (!entity) return null;
      return {
        id: entity.id,
        standardId: entity.standard_id,
        entityType: entity.entity_type,
        objectMarking: (entity.objectMarking ?? []).map((marking) => ({
          id: marking.id,
          standardId: marking.standard_id,
          definitionType: marking.definition_type ?? null,
          definition: marking.definition ?? null,
          order: marking.x_opencti_order ?? 0,
          color: marking.x_opencti_color ?? null,
        })),
        createdBy: entity.createdBy
          ? {
            id: entity.createdBy.id,
            standardId: entity.createdBy.standard_id,
            entityType: entity.createdBy.entity_type,
            name: entity.createdBy.name,
            identityClass: entity.createdBy.identity_class,
          }
          : null,
        observableValue: entity.observable_value ?? null,
        score: entity.x_opencti_score ?? null,
      };
    },

    async readStix(id, context) {
      const data = await transport.request(READ_STIX, { id }, {
        schema: StixAnswer,
        draftId: context?.draftId,
      });
      if (data.stix === null || data.stix === "") return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.stix);
      } catch (error) {
        throw new OpenCtiError(`OpenCTI's STIX export of "${id}" is not valid JSON`, {
          kind: "invalid_response",
          cause: error,
        });
      }
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new OpenCtiError(`OpenCTI's STIX export of "${id}" is not a JSON object`, {
          kind: "invalid_response",
        });
      }
      return parsed as Record<string, unknown>;
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
        pending = createLabel(value, color);
        labels.set(value, pending);
        // A failure is not cached: the next message tries again.
        pending.catch(() => labels.delete(value));
      }
      return pending;
    },

    async close() {
      const client = await httpClient?.catch(() => undefined);
      client?.close();
    },
  };
}

/** `url + "/graphql"`, keeping any base path and dropping trailing slashes. */
export function graphQlEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new ConfigError([{ path: "opencti.url", env: "OPENCTI_URL", message: "is not a URL" }]);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ConfigError([{
      path: "opencti.url",
      env: "OPENCTI_URL",
      message: `must start with "http://" or "https://", got "${parsed.protocol}"`,
    }]);
  }
  return `${url.trim().replace(/\/+$/, "")}/graphql`;
}

async function createCaClient(path: string): Promise<Deno.HttpClient> {
  const refuse = (what: string, error: unknown) =>
    new ConfigError([{
      path: "opencti.ssl_verify",
      env: "OPENCTI_SSL_VERIFY",
      message: `${what} the CA bundle "${path}": ${
        error instanceof Error ? error.message : String(error)
      }`,
    }], { cause: error });
  let pem: string;
  try {
    pem = await Deno.readTextFile(path);
  } catch (error) {
    throw refuse("cannot read", error);
  }
  if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
    throw refuse("cannot use", new Error("it contains no PEM certificate"));
  }
  try {
    return Deno.createHttpClient({ caCerts: [pem] });
  } catch (error) {
    throw refuse("cannot use", error);
  }
}
