import assert from "node:assert/strict";
import { captureLogger } from "../log/testing.ts";
import { JITTER_MARGIN_MS, RATE_KEY_PREFIX } from "./redis_limiter.ts";
import { cleanUp, redisStore, uniqueName, withRedisStore } from "./_testing.ts";

/** The most timestamps that fall in any window of `windowMs` (sorted input). */
function busiestWindow(sorted: readonly number[], windowMs: number): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

Deno.test("two replicas sharing a budget of 20 per 2 s never start more than 20 in any 2 s", async () => {
  const budget = uniqueName("shared");
  const replicas = [await redisStore(), await redisStore()];
  try {
    const started = performance.now();
    const starts: number[] = [];
    const waits: number[] = [];
    await Promise.all(Array.from({ length: 50 }, async (_, index) => {
      const limiter = replicas[index % 2]!.limiter(budget, 20, 2_000);
      waits.push(await limiter.acquire());
      starts.push(performance.now() - started);
    }));
    starts.sort((a, b) => a - b);
    assert.ok(busiestWindow(starts, 2_000) <= 20, `starts: ${starts.map(Math.round).join(", ")}`);
    assert.equal(starts.filter((at) => at < 1_000).length, 20, "the first 20 start at once");
    assert.ok(starts.at(-1)! < 6_000, "50 starts take about two windows and a half, not more");
    assert.ok(Math.max(...waits) >= 3_900, "the last callers report the time they waited");
  } finally {
    await cleanUp(budget, ...replicas);
  }
});

Deno.test("a caller waiting for the shared budget can give up at once", async () => {
  const budget = uniqueName("abort");
  const store = await redisStore();
  try {
    const limiter = store.limiter(budget, 1, 60_000);
    assert.equal(await limiter.acquire(), 0);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const queued = limiter.acquire(AbortSignal.timeout(200));
    setTimeout(() => controller.abort(new Error("stop")), 50);
    const before = performance.now();
    await assert.rejects(waiting, /stop/);
    await assert.rejects(queued, (error: Error) => error.name === "TimeoutError");
    assert.ok(performance.now() - before < 1_000, "neither waited for the 60 s window");
  } finally {
    await cleanUp(budget, store);
  }
});

Deno.test("the same budget name gives the same limiter; its Redis key is namespaced and expires", async () => {
  await withRedisStore("reuse", async ({ name: budget, store, raw }) => {
    assert.equal(store.limiter(budget, 5, 1_000), store.limiter(budget, 5, 1_000));
    assert.throws(() => store.limiter(budget, 0, 1_000), RangeError);
    await store.limiter(budget, 5, 1_000).acquire();
    const key = `opencti-enrich:rate:${budget}`;
    assert.deepEqual(await raw.keys(`${RATE_KEY_PREFIX}${budget}*`), [key]);
    const ttl = await raw.pTTL(key);
    assert.ok(typeof ttl === "number" && ttl > 0 && ttl <= 1_000 + JITTER_MARGIN_MS, `PTTL ${ttl}`);
  });
});

Deno.test("a Redis that lost its scripts (restart, SCRIPT FLUSH) is sent the script again", async () => {
  const log = captureLogger();
  await withRedisStore("noscript", async ({ name: budget, store, raw }) => {
    const limiter = store.limiter(budget, 1, 60_000);
    await limiter.acquire();
    await raw.scriptFlush();
    await assert.rejects(
      limiter.acquire(AbortSignal.timeout(300)),
      (error: Error) => error.name === "TimeoutError",
      "the shared budget still holds the first start",
    );
    assert.deepEqual(
      log.records().filter((record) => record.level === "WARNING"),
      [],
      "no Redis failure: the script was sent again",
    );
  }, { log });
});
