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

/** Options of {@link startFakeVendor}. */
export interface FakeVendorOptions {
  apiKey: string;
  /** The path prefix of the API, e.g. `/api/v2/`. */
  basePath: string;
  latencyMs?: number;
  /** True when the request carries the right key. */
  authorized(request: Request, apiKey: string): boolean;
  /** Answers a path (relative to the base path); undefined = 404. */
  answer(path: string): ForcedAnswer | undefined;
  /** Record requests (turn off for long benchmarks). */
  record?: boolean;
}

/** Starts a fake vendor API. */
export function startFakeVendor(options: FakeVendorOptions): FakeVendorServer {
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
    if (!options.authorized(request, options.apiKey)) {
      return Response.json({ detail: "Invalid API key" }, { status: 401 });
    }
    const forced = failures.shift() ?? overrides.find((item) => item.path.test(path))?.answer;
    if (forced) return respond(forced);
    if (!path.startsWith(options.basePath)) {
      return Response.json({ detail: "Not found" }, { status: 404 });
    }
    const answer = options.answer(path.slice(options.basePath.length));
    return answer ? respond(answer) : Response.json({ detail: "Not found" }, { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}${options.basePath}`,
    apiKey: options.apiKey,
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

/** A small stable number derived from a string (for generated answers). */
export function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}
