/**
 * What both fake vendor APIs share: a `Deno.serve` server on 127.0.0.1 with
 * an API-key check, recorded requests, per-path overrides, a queue of forced
 * failures (e.g. a burst of 429s) and an adjustable latency.
 *
 * @module
 */

/** One request the fake received (the key is never recorded). */
export interface RecordedRequest {
  /** The path, percent-decoded. */
  path: string;
  /** The path as it was sent. */
  rawPath: string;
  at: number;
}

/** A forced answer. */
export interface ForcedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The controls every fake vendor offers. */
export interface FakeVendorServer extends AsyncDisposable {
  /** The API base URL to configure. */
  readonly url: string;
  readonly apiKey: string;
  readonly requests: RecordedRequest[];
  /** Requests received, counted even when they are not recorded. */
  readonly requestCount: number;
  /** Delays every answer. */
  setLatency(ms: number): void;
  /** The next `count` requests get this answer (a 429 burst, a 503…). */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  /** Requests whose path matches get this answer until cleared. */
  respond(path: RegExp, status: number, body?: unknown): void;
  /** Forgets overrides and failures. */
  reset(): void;
  close(): Promise<void>;
}

/** What a test, the sandbox or the benchmark may choose when starting a fake vendor. */
export interface FakeVendorStartOptions {
  /** The key the fake accepts (each fake has a default). */
  apiKey?: string;
  /** Delay of every answer (default none). */
  latencyMs?: number;
  /** Record requests (default true; turn off for long benchmarks). */
  record?: boolean;
}

/** What a fake vendor's API is: its default key, where it takes the key, its paths. */
export interface FakeVendorApi {
  /** The key accepted unless the start options give another. */
  defaultApiKey: string;
  /** The request header that must hold the key, as is. */
  keyHeader: string;
  /** The path prefix of the API, e.g. `/api/v2/`. */
  basePath: string;
  /** Answers a path (relative to the base path); undefined = 404. */
  answer(path: string): ForcedAnswer | undefined;
}

/** Starts a fake vendor API. */
export function startFakeVendor(
  api: FakeVendorApi,
  options: FakeVendorStartOptions = {},
): FakeVendorServer {
  const apiKey = options.apiKey ?? api.defaultApiKey;
  const requests: RecordedRequest[] = [];
  const overrides: Array<{ path: RegExp; answer: ForcedAnswer }> = [];
  const failures: ForcedAnswer[] = [];
  let latency = options.latencyMs ?? 0;
  const record = options.record ?? true;
  let requestCount = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const rawPath = new URL(request.url).pathname;
    const path = decodeURIComponent(rawPath);
    requestCount += 1;
    if (record) requests.push({ path, rawPath, at: Date.now() });
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    if (request.headers.get(api.keyHeader) !== apiKey) {
      return Response.json({ detail: "Invalid API key" }, { status: 401 });
    }
    const forced = failures.shift() ?? overrides.find((item) => item.path.test(path))?.answer;
    if (forced) return respond(forced);
    if (!path.startsWith(api.basePath)) {
      return Response.json({ detail: "Not found" }, { status: 404 });
    }
    const answer = api.answer(path.slice(api.basePath.length));
    return answer ? respond(answer) : Response.json({ detail: "Not found" }, { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}${api.basePath}`,
    apiKey,
    requests,
    get requestCount() {
      return requestCount;
    },
    setLatency: (ms) => void (latency = ms),
    failNext(count, status, headers) {
      for (let i = 0; i < count; i++) {
        failures.push({
          status,
          body: { detail: `Forced ${status}` },
          ...(headers ? { headers } : {}),
        });
      }
    },
    respond: (path, status, body) => void overrides.unshift({ path, answer: { status, body } }),
    reset() {
      overrides.length = 0;
      failures.length = 0;
    },
    close: () => server.shutdown(),
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function respond(answer: ForcedAnswer): Response {
  const body = answer.body === undefined ? "" : JSON.stringify(answer.body);
  return new Response(body, {
    status: answer.status,
    headers: { "content-type": "application/json", ...answer.headers },
  });
}

/** Reads a fixture file of `tests/fixtures/<vendor>/`. */
export function readFixture(vendor: string, name: string): unknown {
  const url = new URL(`../fixtures/${vendor}/${name}.json`, import.meta.url);
  return JSON.parse(Deno.readTextFileSync(url));
}

/** {@link readFixture} for one vendor, reading each file once. */
export function fixtureReader(vendor: string): (name: string) => unknown {
  const fixtures = new Map<string, unknown>();
  return (name) => {
    if (!fixtures.has(name)) fixtures.set(name, readFixture(vendor, name));
    return fixtures.get(name);
  };
}

/** A small stable number derived from a string (for generated answers). */
export function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}
