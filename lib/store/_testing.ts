/**
 * Helpers for the store's tests against the real Redis at 127.0.0.1:6379:
 * a unique namespace per test (and its clean-up), a store on that Redis, and a forwarder to Redis
 * that can be started late and stopped, to play a Redis that goes away and
 * comes back.
 *
 * @module
 */

import { createClient } from "@redis/client";
import type { VendorStore } from "../http/mod.ts";
import { type CapturedLogger, captureLogger } from "../log/testing.ts";
import { CACHE_KEY_PREFIX } from "./redis_cache.ts";
import { RATE_KEY_PREFIX } from "./redis_limiter.ts";
import { createVendorStore } from "./vendor_store.ts";

/** The Redis the tests use. */
export const REDIS_PORT = 6379;
/** Its URL. */
export const REDIS_URL = `redis://127.0.0.1:${REDIS_PORT}`;

/** A name no other test uses, for cache keys and budgets. */
export function uniqueName(label: string): string {
  return `test-${label}-${crypto.randomUUID()}`;
}

/** A plain node-redis client on the test Redis, to look at and clean up what the store wrote. */
export type RawRedis = ReturnType<typeof rawClient>;

function rawClient() {
  return createClient({ url: REDIS_URL, RESP: 2, maintNotifications: "disabled" });
}

/** Connects a {@link RawRedis}; close it with `close()`. */
export async function rawRedis(): Promise<RawRedis> {
  const client = rawClient();
  await client.connect();
  return client;
}

/** Deletes every cache key and budget whose name starts with `name`. */
export async function deleteNamespace(name: string): Promise<void> {
  const client = await rawRedis();
  try {
    const keys = [
      ...await client.keys(`${CACHE_KEY_PREFIX}${name}*`),
      ...await client.keys(`${RATE_KEY_PREFIX}${name}*`),
    ];
    if (keys.length > 0) await client.del(keys);
  } finally {
    await client.close();
  }
}

/** Closes `opened` one after the other, then deletes the keys of namespace `name`. */
export async function cleanUp(
  name: string,
  ...opened: ReadonlyArray<{ close(): Promise<unknown> }>
): Promise<void> {
  for (const each of opened) await each.close();
  await deleteNamespace(name);
}

/** A vendor store on the test Redis (10 entries, 1 MB unless told), logging to `log` or a fresh capture. */
export function redisStore(
  options: { maxBytes?: number; log?: CapturedLogger } = {},
): Promise<VendorStore> {
  const log = options.log ?? captureLogger();
  return createVendorStore({
    url: REDIS_URL,
    maxEntries: 10,
    maxBytes: options.maxBytes ?? 1_000_000,
    logger: log.logger,
    redactor: log.redactor,
  });
}

/** What {@link withRedisStore} hands its body. */
export interface RedisStoreContext {
  /** The test's namespace (see {@link uniqueName}). */
  name: string;
  store: VendorStore;
  raw: RawRedis;
}

/**
 * Runs `body` with a fresh namespace, a store (see {@link redisStore}) and a
 * raw client on the test Redis; then closes both and deletes the namespace's keys.
 */
export async function withRedisStore(
  label: string,
  body: (context: RedisStoreContext) => Promise<void>,
  options: { log?: CapturedLogger } = {},
): Promise<void> {
  const name = uniqueName(label);
  const store = await redisStore(options);
  const raw = await rawRedis();
  try {
    await body({ name, store, raw });
  } finally {
    await cleanUp(name, raw, store);
  }
}

/** A TCP forwarder from a local port to Redis. */
export interface RedisForwarder {
  /** Stops listening and cuts every forwarded connection. */
  close(): Promise<void>;
}

/** Forwards `127.0.0.1:port` to Redis until closed. */
export function forwardToRedis(port: number): RedisForwarder {
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  const conns = new Set<Deno.Conn>();
  const pipes = new Set<Promise<unknown>>();
  const accepting = (async () => {
    for await (const client of listener) {
      conns.add(client);
      const upstream = await Deno.connect({ hostname: "127.0.0.1", port: REDIS_PORT });
      conns.add(upstream);
      for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
        const pipe = from.readable.pipeTo(to.writable).catch(() => {});
        pipes.add(pipe);
      }
    }
  })().catch(() => {});
  return {
    async close() {
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // Closed by its pipe already.
        }
      }
      await accepting;
      await Promise.all(pipes);
    },
  };
}

/** Polls `check` every 50 ms until it is true, failing after `timeoutMs`. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
