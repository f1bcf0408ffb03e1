/**
 * A fake OpenCTI GraphQL endpoint for tests, the benchmark and the local
 * sandbox. It plays a 6.8.x or a 7.x platform: it validates every document
 * against our connector-facing SDL for that version (`schema.graphql`, plus
 * `schema-7.graphql` for 7.x), answers introspection from that schema (or
 * refuses it, as production servers may), checks the token as the platform
 * does, answers errors with HTTP 200 in the platform's shape, can play an LTS
 * platform whose licence is not activated, can serve HTTPS, and records every
 * call.
 *
 * @module
 */

import {
  type DocumentNode,
  execute,
  type ExecutionResult,
  type GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import { buildFakeSchema } from "./_schema.ts";
import {
  type FakeConnection,
  type FakeConnector,
  type FakeEntity,
  type FakeEntitySeed,
  type FakeLabel,
  FakePlatform,
  FakePlatformError,
  type FakeUser,
  type FakeWork,
} from "./state.ts";

/** One request the fake received. */
export interface FakeCall {
  /** The operation name (from the body, else the document), or null. */
  operationName: string | null;
  query: string;
  variables: Record<string, unknown>;
  /** Request headers, lower-cased names; the Authorization value is masked. */
  headers: Record<string, string>;
  /** The HTTP status answered. */
  status: number;
  /** `Date.now()` when the request arrived. */
  at: number;
}

/** A request refused before execution: unparseable, invalid against the schema, or bad variables. */
export interface FakeRejection {
  operationName: string | null;
  query: string;
  variables: Record<string, unknown>;
  errors: string[];
}

/** Options of {@link startFakeOpenCti}. */
export interface FakeOpenCtiOptions {
  /** The accepted token; default a random one. */
  token?: string;
  /**
   * `about.version`; default `6.8.10`. It picks the schema: below 6.8.9
   * registration rejects `auto_update`/`enrichment_resolution`; 7.x (e.g.
   * `7.260807.0`) also accepts `version`, `slug` and `xtm_one_intent`.
   */
  version?: string;
  /** Refuse every document that uses introspection (`__type`, `__schema`), as a server with introspection disabled does. */
  refuseIntrospection?: boolean;
  /** Answer every valid request with `LTS_REQUIRED_ACTIVATION`, as an LTS platform whose licence is not activated does. */
  requireLtsActivation?: boolean;
  /** Serve HTTPS with this PEM certificate chain and key (the URL then starts with `https://`). */
  tls?: { cert: string; key: string };
  /** Default 0: any free port. */
  port?: number;
  /** A platform base path, e.g. `/opencti`; GraphQL is served at `<basePath>/graphql`. */
  basePath?: string;
  /** `rabbitmq.queue_prefix` of the platform; default none. */
  queuePrefix?: string;
  /** The broker coordinates handed out; default 127.0.0.1:5672 "/" guest/guest without TLS. */
  connection?: Partial<FakeConnection>;
  /** The token's user. */
  user?: Partial<FakeUser>;
  /** `connector_user_id` returned at registration; default the user's id. */
  connectorUserId?: string;
  /** Awaited before `registerConnector` answers, e.g. to declare the connector's queues as the platform does. */
  onRegister?: (connectorId: string, connector: FakeConnector) => unknown;
  /** Keep every call in `calls` (default true; turn off for long benchmarks). */
  recordCalls?: boolean;
}

/** A running fake platform. */
export interface FakeOpenCti extends AsyncDisposable {
  /** The platform URL (without `/graphql`), as `opencti.url` takes it. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly version: string;
  /** Every request, in arrival order. */
  readonly calls: FakeCall[];
  /** Requests refused before execution. */
  readonly rejected: FakeRejection[];
  /** Labels, in creation order. */
  readonly labels: FakeLabel[];
  /** Arguments of every `playbookStepExecution`. */
  readonly playbookSteps: Record<string, unknown>[];
  /** Every `registerConnector` input as sent, in arrival order (absent fields stay absent). */
  readonly registrationInputs: Record<string, unknown>[];
  /** Registered connectors by id. */
  readonly connectors: Map<string, FakeConnector>;
  /** Works by id. */
  readonly works: Map<string, FakeWork>;
  /** The work's state, or undefined when it was never mentioned. */
  work(id: string): FakeWork | undefined;
  /** Creates (or returns) a work, as the platform does when it sends a message. */
  createWork(id: string): FakeWork;
  /** Simulates the worker reporting one imported object (optionally in error). */
  reportExpectation(workId: string, error?: string): FakeWork;
  /** Simulates an admin's state reset: the next ping returns `""` and keeps it. */
  resetState(connectorId: string): void;
  /** Seeds an entity readable through `stixCoreObject(id:)` and `stix(id:)`. */
  addEntity(seed: FakeEntitySeed): FakeEntity;
  /** Adds an existing label. */
  addLabel(value: string, color?: string): FakeLabel;
  /** When true, `labelAdd` fails with `FORBIDDEN_ACCESS`. */
  forbidLabelCreation(forbid?: boolean): void;
  /** Answers every request with `status` (a proxy's error page) for `ms` milliseconds. */
  failFor(ms: number, status?: number): void;
  /** Answers the next `count` requests with `status`. */
  failNext(count: number, status?: number): void;
  /**
   * Answers requests of one operation with `status` (a proxy's error page,
   * default 502): the next `count` of them, or all of them for `forMs`.
   */
  failOperation(
    operationName: string,
    options: { count?: number; forMs?: number; status?: number },
  ): void;
  /** The next `count` calls of `operationName` fail with this GraphQL error (HTTP 200). */
  injectError(
    operationName: string,
    error: { message: string; code: string },
    count?: number,
  ): void;
  /** Delays every answer by `ms`. */
  setLatency(ms: number): void;
  /** The recorded calls of one operation. */
  callsOf(operationName: string): FakeCall[];
  /** Forgets the recorded calls and rejections. */
  clearCalls(): void;
  /** Stops the server. */
  close(): Promise<void>;
}

const DEFAULT_USER: FakeUser = {
  id: "88ec0c6a-13ce-5e39-b486-354fe4a7084f",
  name: "connector-user",
  user_email: "connector@opencti.invalid",
};

const PARSE_CACHE_LIMIT = 500;

interface Prepared {
  document?: DocumentNode;
  operationName: string | null;
  errors: readonly GraphQLError[];
}

/** Starts the fake on 127.0.0.1. Close it when done. */
export async function startFakeOpenCti(options: FakeOpenCtiOptions = {}): Promise<FakeOpenCti> {
  const version = options.version ?? "6.8.10";
  const token = options.token ?? `fake-token-${crypto.randomUUID()}`;
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const schema = await buildFakeSchema(version);
  const user = { ...DEFAULT_USER, ...options.user };
  const platform = new FakePlatform(schema, {
    version,
    user,
    connection: {
      host: "127.0.0.1",
      port: 5672,
      vhost: "/",
      use_ssl: false,
      user: "guest",
      pass: "guest",
      ...options.connection,
    },
    queuePrefix: options.queuePrefix ?? "",
    connectorUserId: options.connectorUserId ?? user.id,
    ...(options.onRegister ? { onRegister: options.onRegister } : {}),
  });
  const calls: FakeCall[] = [];
  const rejected: FakeRejection[] = [];
  const record = options.recordCalls ?? true;
  const prepared = new Map<string, Prepared>();
  const rules = options.refuseIntrospection
    ? [...specifiedRules, NoSchemaIntrospectionCustomRule]
    : specifiedRules;
  const injected = new Map<string, { message: string; code: string; count: number }>();
  let failUntil = 0;
  let failUntilStatus = 502;
  let failCount = 0;
  let failCountStatus = 502;
  const failingOperations = new Map<string, { count: number; until: number; status: number }>();
  let latencyMs = 0;

  const prepare = (query: string): Prepared => {
    let entry = prepared.get(query);
    if (entry) return entry;
    try {
      const document = parse(query);
      entry = { document, operationName: firstOperationName(document), errors: [] };
      const errors = validate(schema, document, rules);
      if (errors.length > 0) entry = { ...entry, errors };
    } catch (error) {
      entry = { operationName: null, errors: [error as GraphQLError] };
    }
    if (prepared.size >= PARSE_CACHE_LIMIT) prepared.clear();
    prepared.set(query, entry);
    return entry;
  };

  const handle = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path !== `${basePath}/graphql`) return new Response("Not found", { status: 404 });
    if (request.method !== "POST") return new Response("Method not allowed", { status: 405 });
    const at = Date.now();
    const headers = maskedHeaders(request.headers);
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = await request.json();
    } catch {
      return json(400, { errors: [platformError("Request body is not JSON", "BAD_REQUEST")] });
    }
    const query = typeof body.query === "string" ? body.query : "";
    const variables = isRecord(body.variables) ? body.variables : {};
    const entry = prepare(query);
    const operationName = typeof body.operationName === "string"
      ? body.operationName
      : entry.operationName;
    const answer = (status: number, response: Response) => {
      if (record) calls.push({ operationName, query, variables, headers, status, at });
      return response;
    };
    /** Records the request as rejected, and answers its errors with `code`, without data. */
    const reject = (errors: readonly GraphQLError[], code: string) => {
      const messages = errors.map((error) => error.message);
      rejected.push({ operationName, query, variables, errors: messages });
      return answer(
        200,
        json(200, { errors: messages.map((message) => platformError(message, code)) }),
      );
    };
    if (latencyMs > 0) await pause(latencyMs, request.signal);

    if (Date.now() < failUntil) return answer(failUntilStatus, proxyError(failUntilStatus));
    if (failCount > 0) {
      failCount -= 1;
      return answer(failCountStatus, proxyError(failCountStatus));
    }
    const failing = operationName ? failingOperations.get(operationName) : undefined;
    if (failing && (failing.count > 0 || Date.now() < failing.until)) {
      failing.count -= 1;
      return answer(failing.status, proxyError(failing.status));
    }
    if (request.headers.get("authorization") !== `Bearer ${token}`) {
      return answer(
        200,
        json(200, {
          errors: [platformError("You must be logged in to do this.", "AUTH_REQUIRED")],
          data: null,
        }),
      );
    }
    if (!entry.document || entry.errors.length > 0) {
      return reject(
        entry.errors,
        entry.document ? "GRAPHQL_VALIDATION_FAILED" : "GRAPHQL_PARSE_FAILED",
      );
    }
    if (options.requireLtsActivation) {
      return answer(
        200,
        json(200, {
          errors: [platformError("You must activate your LTS license.", LTS_CODE)],
          data: null,
        }),
      );
    }
    const injection = operationName ? injected.get(operationName) : undefined;
    if (injection && operationName) {
      injection.count -= 1;
      if (injection.count <= 0) injected.delete(operationName);
      return answer(
        200,
        json(200, { errors: [platformError(injection.message, injection.code)], data: null }),
      );
    }
    const result: ExecutionResult = await execute({
      schema,
      document: entry.document,
      rootValue: platform.root,
      variableValues: variables,
      operationName,
    });
    if (result.errors && result.data === undefined) return reject(result.errors, "BAD_USER_INPUT");
    const errors = result.errors?.map((error) => {
      const original = error.originalError;
      const code = original instanceof FakePlatformError ? original.code : "UNKNOWN_ERROR";
      return { ...platformError(error.message, code), path: error.path };
    });
    return answer(200, json(200, errors ? { errors, data: result.data } : { data: result.data }));
  };

  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: options.port ?? 0,
      onListen: () => {},
      ...(options.tls ? { cert: options.tls.cert, key: options.tls.key } : {}),
    },
    handle,
  );
  const port = server.addr.port;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= server.shutdown();
    return closed;
  };

  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}${basePath}`,
    port,
    token,
    version,
    calls,
    rejected,
    labels: platform.labels,
    playbookSteps: platform.playbookSteps,
    registrationInputs: platform.registrationInputs,
    connectors: platform.connectors,
    works: platform.works,
    work: (id) => platform.works.get(id),
    createWork: (id) => platform.work(id),
    reportExpectation: (workId, error) => platform.reportExpectation(workId, error),
    resetState: (connectorId) => platform.resetState(connectorId),
    addEntity: (seed) => platform.addEntity(seed),
    addLabel(value, color) {
      const uuid = crypto.randomUUID();
      const label = { id: uuid, standard_id: `label--${uuid}`, value, color: color ?? null };
      platform.labels.push(label);
      return label;
    },
    forbidLabelCreation(forbid = true) {
      platform.forbidLabelCreation = forbid;
    },
    failFor(ms, status = 502) {
      failUntil = Date.now() + ms;
      failUntilStatus = status;
    },
    failNext(count, status = 502) {
      failCount = count;
      failCountStatus = status;
    },
    failOperation(operationName, { count = 0, forMs = 0, status = 502 }) {
      failingOperations.set(operationName, { count, until: Date.now() + forMs, status });
    },
    injectError(operationName, error, count = 1) {
      injected.set(operationName, { ...error, count });
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    callsOf: (operationName) => calls.filter((call) => call.operationName === operationName),
    clearCalls() {
      calls.length = 0;
      rejected.length = 0;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function firstOperationName(document: DocumentNode): string | null {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) return definition.name?.value ?? null;
  }
  return null;
}

/** The platform's code for a request refused because the LTS licence is not activated. */
const LTS_CODE = "LTS_REQUIRED_ACTIVATION";

const ERROR_HTTP_STATUS: Record<string, number> = {
  AUTH_REQUIRED: 401,
  [LTS_CODE]: 401,
  FORBIDDEN_ACCESS: 403,
};

/**
 * An error in the platform's shape: the platform copies `extensions.code`
 * into `name`, and keeps the HTTP status it would have meant in
 * `extensions.data.http_status` while answering HTTP 200.
 */
function platformError(message: string, code: string): Record<string, unknown> {
  return {
    message,
    extensions: { code, data: { http_status: ERROR_HTTP_STATUS[code] ?? 500 } },
    name: code,
  };
}

/** Waits `ms`, or less when the client goes away (so closing the server never waits for it). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

const STATUS_TEXT: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function proxyError(status: number): Response {
  const text = STATUS_TEXT[status] ?? "Error";
  return new Response(`<html><body><h1>${status} ${text}</h1></body></html>`, {
    status,
    headers: { "content-type": "text/html" },
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function maskedHeaders(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {};
  headers.forEach((value, name) => {
    result[name] = name === "authorization"
      ? value.startsWith("Bearer ") ? "Bearer ***" : "***"
      : value;
  });
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
