/**
 * Helpers for the tests of this folder: local servers, a client wired to
 * record what it does, and an in-memory answer store.
 *
 * @module
 */

import assert from "node:assert/strict";
import { VendorError } from "../errors/mod.ts";
import { type CapturedLogger, captureLogger } from "../log/testing.ts";
import { SecretRedactor } from "../log/mod.ts";
import { createVendorHttpClient, type VendorHttpClient, type VendorHttpOptions } from "./client.ts";
import type { AnswerCache, CachedAnswer, RateLimiter, VendorStore } from "./store.ts";

/** The API key of the tests: characters that change under URL, JSON and base64 encoding. */
export const KEY = 'sk_Live/9f+Q2"zX=7wKp';

/** Handles one request of a test server. */
export type Handler = (request: Request) => Response | Promise<Response>;

/** Runs `body` with a local HTTP server; `base` ends with `/api/v2`. */
export async function withServer(
  handler: Handler,
  body: (base: string, origin: string) => Promise<void>,
): Promise<void> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const origin = `http://127.0.0.1:${server.addr.port}`;
  try {
    await body(`${origin}/api/v2`, origin);
  } finally {
    await server.shutdown();
  }
}

/**
 * Runs `body` with a local server whose `answer` gets each request's number
 * (1 for the first); `calls()` says how many requests it has had.
 */
export async function withCountingServer(
  answer: (call: number, request: Request) => Response | Promise<Response>,
  body: (base: string, calls: () => number) => Promise<void>,
): Promise<void> {
  let calls = 0;
  await withServer((request) => answer(++calls, request), (base) => body(base, () => calls));
}

/** A port nothing listens on. */
export function unusedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A client under test and what it reported. */
export interface TestClient {
  http: VendorHttpClient;
  captured: CapturedLogger;
  redactor: SecretRedactor;
  /** Pauses asked of `sleep` (no real waiting). */
  sleeps: number[];
  /** Observer events: `acme:200`, `acme:retry:server`, `acme:cache:hit`, … */
  events: string[];
}

/** A client of vendor `acme` sending {@link KEY}, with fast retries and recorded events. */
export function testClient(base: string, extra: Partial<VendorHttpOptions> = {}): TestClient {
  const captured = captureLogger();
  captured.redactor.add(KEY);
  const sleeps: number[] = [];
  const events: string[] = [];
  const http = createVendorHttpClient({
    vendor: "acme",
    baseUrl: base,
    headers: { "x-api-key": KEY, "user-agent": "test" },
    redactor: captured.redactor,
    logger: captured.logger,
    retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 2000 },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    observer: {
      request: (vendor, outcome) => events.push(`${vendor}:${outcome}`),
      retry: (vendor, reason) => events.push(`${vendor}:retry:${reason}`),
      cache: (vendor, hit) => events.push(`${vendor}:cache:${hit ? "hit" : "miss"}`),
      rateLimited: (vendor) => events.push(`${vendor}:rate_limited`),
    },
    ...extra,
  });
  return { http, captured, redactor: captured.redactor, sleeps, events };
}

/** Asserts a `VendorError` of `kind` (and `status`) whose message does not hold the key. */
export function expectVendorError(error: unknown, kind: string, status?: number): VendorError {
  assert.ok(error instanceof VendorError, String(error));
  assert.equal(error.kind, kind, error.message);
  assert.equal(error.status, status, error.message);
  assert.ok(!error.message.includes(KEY));
  return error;
}

/** An in-memory {@link VendorStore} that records what it is asked, and can be told to fail. */
export class RecordingStore implements VendorStore {
  /** Entries by key. */
  readonly entries = new Map<string, { answer: CachedAnswer; ttlMs: number }>();
  /** `get:<key>`, `set:<key>`, `limiter:<budget>:<requests>/<perMs>`, `acquire:<budget>`. */
  readonly calls: string[] = [];
  /** When set, get and set reject with this error. */
  failWith: Error | undefined;
  /** What each limiter's acquire resolves to (ms waited). */
  waitMs = 0;

  /** The cache. */
  readonly cache: AnswerCache = {
    get: (key) => {
      this.calls.push(`get:${key}`);
      if (this.failWith) return Promise.reject(this.failWith);
      return Promise.resolve(this.entries.get(key)?.answer);
    },
    set: (key, answer, ttlMs) => {
      this.calls.push(`set:${key}`);
      if (this.failWith) return Promise.reject(this.failWith);
      this.entries.set(key, { answer, ttlMs });
      return Promise.resolve();
    },
  };

  /** A limiter that records each acquire and resolves at once. */
  limiter(budget: string, requests: number, perMs: number): RateLimiter {
    this.calls.push(`limiter:${budget}:${requests}/${perMs}`);
    return {
      acquire: () => {
        this.calls.push(`acquire:${budget}`);
        return Promise.resolve(this.waitMs);
      },
    };
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
