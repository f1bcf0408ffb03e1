import assert from "node:assert/strict";
import { SecretRedactor } from "../log/mod.ts";
import { captureLogger } from "../log/testing.ts";
import { freePort } from "../../tests/support/ports.ts";
import { MemoryAnswerCache } from "./memory_cache.ts";
import {
  deleteNamespace,
  eventually,
  forwardToRedis,
  type RedisForwarder,
  uniqueName,
} from "./_testing.ts";
import { createVendorStore } from "./vendor_store.ts";

const PASSWORD = "hunter2-cache-secret";
/** A redactor that masks nothing: what reaches the log is what the store wrote. */
const VERBATIM = { redact: (text: string) => text };

Deno.test("without a URL the store keeps answers and rate limits in memory", async () => {
  const log = captureLogger();
  const store = await createVendorStore({
    maxEntries: 10,
    maxBytes: 10_000,
    logger: log.logger,
    redactor: log.redactor,
  });
  try {
    assert.ok(store.cache instanceof MemoryAnswerCache);
    await store.cache.set("k", { status: 200, body: "{}" }, 60_000);
    assert.deepEqual(await store.cache.get("k"), { status: 200, body: "{}" });
    const limiter = store.limiter("silentpush:abc", 2, 300);
    assert.equal(store.limiter("silentpush:abc", 2, 300), limiter, "created once, then reused");
    assert.notEqual(store.limiter("proofpoint-et:abc", 2, 300), limiter);
    await limiter.acquire();
    await limiter.acquire();
    const waited = await limiter.acquire();
    assert.ok(waited >= 250, `the third start waited ${waited} ms for the window`);
  } finally {
    await store.close();
  }
  assert.deepEqual(log.records(), [], "nothing to say about an in-memory store");
});

Deno.test("a malformed cache URL fails without quoting the password (the loader names CONNECTOR_CACHE_URL)", async () => {
  const log = captureLogger();
  const error = await createVendorStore({
    url: `htp://app:${PASSWORD}@cache:6379`,
    maxEntries: 10,
    maxBytes: 10_000,
    logger: log.logger,
    redactor: VERBATIM,
  }).then(() => undefined, (error: unknown) => error);
  assert.ok(error instanceof RangeError);
  assert.doesNotMatch(error.message, new RegExp(PASSWORD));
});

Deno.test("with Redis unreachable the cache misses and the limiter paces locally, each logged once", async () => {
  const port = freePort();
  const log = captureLogger({ level: "info" });
  const store = await createVendorStore({
    url: `redis://app:${PASSWORD}@127.0.0.1:${port}/0`,
    maxEntries: 10,
    maxBytes: 10_000,
    logger: log.logger,
    redactor: VERBATIM,
  });
  try {
    await store.cache.set("k", { status: 200, body: "{}" }, 60_000);
    assert.equal(await store.cache.get("k"), undefined);
    const limiter = store.limiter("proofpoint-et:abc", 2, 400);
    const started = performance.now();
    await limiter.acquire();
    await limiter.acquire();
    assert.ok(performance.now() - started < 200, "the budget's first starts go at once");
    const waited = await limiter.acquire();
    assert.ok(waited >= 350, `the third start waited ${waited} ms: the same budget, locally`);
    await store.cache.get("k");
    await limiter.acquire();
  } finally {
    await store.close();
  }
  const warnings = log.records().filter((record) => record.level === "WARNING");
  assert.deepEqual(warnings.map((record) => record.message), [
    `The Redis answer cache at 127.0.0.1:${port}/0 failed: connection refused (nothing listens on that host and port); vendor answers are not cached until it answers again (CONNECTOR_CACHE_URL)`,
    `The Redis rate limiter at 127.0.0.1:${port}/0 failed: connection refused (nothing listens on that host and port); each replica keeps the vendors' rate limits on its own until it answers again (CONNECTOR_CACHE_URL)`,
  ]);
  assert.equal(warnings[0]?.attributes?.cause, "refused");
  assert.doesNotMatch(log.lines.join("\n"), new RegExp(PASSWORD));
});

Deno.test("when Redis comes back the store shares answers and limits again on its own", async (t) => {
  const name = uniqueName("recover");
  const port = freePort();
  const log = captureLogger({ level: "info" });
  const store = await createVendorStore({
    url: `redis://127.0.0.1:${port}`,
    maxEntries: 10,
    maxBytes: 10_000,
    logger: log.logger,
    redactor: log.redactor,
  });
  const levels = () => log.records().map((record) => `${record.level}: ${record.message}`);
  const limiter = store.limiter(`${name}:budget`, 5, 1_000);
  const answer = { status: 200, body: "{}" };
  let forwarder = forwardToRedis(port);
  try {
    await t.step("Redis was down at start, then listens", async () => {
      await eventually("the cache to store in Redis", async () => {
        await store.cache.set(`${name}:k`, answer, 60_000);
        return (await store.cache.get(`${name}:k`)) !== undefined;
      });
      await limiter.acquire();
      assert.deepEqual(levels().filter((line) => line.startsWith("INFO")), [
        `INFO: The Redis answer cache at 127.0.0.1:${port}/0 answers again`,
        `INFO: The Redis rate limiter at 127.0.0.1:${port}/0 answers again`,
      ]);
    });
    await t.step("Redis goes away mid-session: misses and local limits, no throw", async () => {
      log.lines.length = 0;
      await forwarder.close();
      await eventually("the cache to miss", async () => !(await store.cache.get(`${name}:k`)));
      await limiter.acquire();
      const warnings = levels().filter((line) => line.startsWith("WARNING"));
      assert.equal(warnings.length, 2, warnings.join("\n"));
      assert.match(
        warnings[0]!,
        /answer cache .* failed: the connection was closed by the other side/,
      );
      assert.match(warnings[1]!, /rate limiter .* failed/);
    });
    await t.step("Redis is back: the answer stored before is served again", async () => {
      forwarder = forwardToRedis(port);
      await eventually("the cache to hit", async () => !!(await store.cache.get(`${name}:k`)));
      await limiter.acquire();
      assert.equal(levels().filter((line) => line.startsWith("INFO")).length, 2);
    });
  } finally {
    await store.close();
    await forwarder.close();
    await deleteNamespace(name);
  }
});

Deno.test("the URL's password is registered on the program's SecretRedactor", async () => {
  const redactor = new SecretRedactor();
  const log = captureLogger({ redactor });
  const store = await createVendorStore({
    url: `redis://app:${encodeURIComponent(PASSWORD + "/x")}@127.0.0.1:${freePort()}`,
    maxEntries: 10,
    maxBytes: 10_000,
    logger: log.logger,
    redactor,
  });
  await store.close();
  assert.equal(redactor.redact(`auth ${PASSWORD}/x`), "auth [REDACTED]");
});

Deno.test("a Redis that accepts connections but never answers holds nothing up, and is left for a working one", async () => {
  const name = uniqueName("silent");
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = silent.addr.port;
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of silent) held.push(conn);
  })();
  const log = captureLogger();
  const started = performance.now();
  const store = await createVendorStore({
    url: `redis://127.0.0.1:${port}`,
    maxEntries: 10,
    maxBytes: 10_000,
    logger: log.logger,
    redactor: VERBATIM,
  });
  let forwarder: RedisForwarder | undefined;
  try {
    assert.ok(performance.now() - started < 3_000, "creation waits at most the connect timeout");
    const asked = performance.now();
    assert.equal(await store.cache.get(`${name}:k`), undefined);
    await store.limiter(`${name}:budget`, 5, 1_000).acquire();
    assert.ok(performance.now() - asked < 100, "calls fail fast while Redis is silent");
    assert.match(log.records()[0]?.message ?? "", /answer cache .* failed: timed out/);
    // The silent server stops listening but keeps the connection it holds open.
    silent.close();
    await accepting.catch(() => {});
    forwarder = forwardToRedis(port);
    await eventually("the store to leave the silent connection for Redis", async () => {
      await store.cache.set(`${name}:k`, { status: 200, body: "{}" }, 60_000);
      return (await store.cache.get(`${name}:k`)) !== undefined;
    });
  } finally {
    await store.close();
    for (const conn of held) conn.close();
    await forwarder?.close();
    await deleteNamespace(name);
  }
});
