import assert from "node:assert/strict";
import { delay } from "../async/mod.ts";
import { CACHE_KEY_PREFIX } from "./redis_cache.ts";
import { cleanUp, redisStore, uniqueName, withRedisStore } from "./_testing.ts";

Deno.test("an answer stored in Redis is read back by another replica until its TTL ends", async () => {
  const name = uniqueName("cache");
  const first = await redisStore();
  const second = await redisStore();
  try {
    const key = `${name}:silentpush:0123456789abcdef:/explore/ip?ip=192.0.2.1`;
    await first.cache.set(key, { status: 200, body: '{"response":{"ip":"192.0.2.1"}}' }, 400);
    assert.deepEqual(await second.cache.get(key), {
      status: 200,
      body: '{"response":{"ip":"192.0.2.1"}}',
    });
    await first.cache.set(`${name}:404`, { status: 404, body: "" }, 400);
    assert.deepEqual(await second.cache.get(`${name}:404`), { status: 404, body: "" });
    await delay(500);
    assert.equal(await second.cache.get(key), undefined, "Redis dropped it when its TTL ended");
  } finally {
    await cleanUp(name, first, second);
  }
});

Deno.test("answers live under the opencti-enrich:cache: namespace with a Redis TTL", async () => {
  await withRedisStore("namespace", async ({ name, store, raw }) => {
    await store.cache.set(`${name}:k`, { status: 200, body: "{}" }, 60_000);
    assert.deepEqual(await raw.keys(`${CACHE_KEY_PREFIX}${name}*`), [
      `opencti-enrich:cache:${name}:k`,
    ]);
    const ttl = await raw.pTTL(`${CACHE_KEY_PREFIX}${name}:k`);
    assert.ok(typeof ttl === "number" && ttl > 59_000 && ttl <= 60_000, `PTTL ${ttl}`);
  });
});

Deno.test("an answer larger than the byte budget is not stored in Redis", async () => {
  const name = uniqueName("big");
  const store = await redisStore({ maxBytes: 1_000 });
  try {
    await store.cache.set(`${name}:big`, { status: 200, body: "x".repeat(1_000) }, 60_000);
    assert.equal(await store.cache.get(`${name}:big`), undefined);
    await store.cache.set(`${name}:small`, { status: 200, body: "{}" }, 60_000);
    assert.deepEqual(await store.cache.get(`${name}:small`), { status: 200, body: "{}" });
  } finally {
    await cleanUp(name, store);
  }
});

Deno.test("a value in the namespace that this program did not write reads as a miss", async () => {
  await withRedisStore("foreign", async ({ name, store, raw }) => {
    await raw.set(`${CACHE_KEY_PREFIX}${name}:k`, "not an answer", { PX: 60_000 });
    assert.equal(await store.cache.get(`${name}:k`), undefined);
  });
});
