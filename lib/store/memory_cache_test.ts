import assert from "node:assert/strict";
import { ENTRY_OVERHEAD_BYTES, entryBytes, MemoryAnswerCache } from "./memory_cache.ts";

function clock(start = 1_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

const ok = (body: string) => ({ status: 200, body });

Deno.test("an answer is served until its TTL ends, then never again", async () => {
  const time = clock();
  const cache = new MemoryAnswerCache({ maxEntries: 10, maxBytes: 10_000, now: time.now });
  await cache.set("silentpush:k:/ip?x", ok('{"a":1}'), 1_000);
  time.advance(999);
  assert.deepEqual(await cache.get("silentpush:k:/ip?x"), ok('{"a":1}'));
  time.advance(1);
  assert.equal(await cache.get("silentpush:k:/ip?x"), undefined);
  assert.equal(cache.size, 0, "the expired entry is dropped when it is read");
  assert.equal(cache.bytes, 0);
});

Deno.test("each answer keeps its own TTL", async () => {
  const time = clock();
  const cache = new MemoryAnswerCache({ maxEntries: 10, maxBytes: 10_000, now: time.now });
  await cache.set("short", ok("1"), 100);
  await cache.set("long", ok("2"), 10_000);
  time.advance(500);
  assert.equal(await cache.get("short"), undefined);
  assert.deepEqual(await cache.get("long"), ok("2"));
});

Deno.test("a 404 answer round-trips with its status", async () => {
  const cache = new MemoryAnswerCache({ maxEntries: 10, maxBytes: 10_000 });
  await cache.set("k", { status: 404, body: "" }, 60_000);
  assert.deepEqual(await cache.get("k"), { status: 404, body: "" });
});

Deno.test("past maxEntries the least recently used answer goes first", async () => {
  const cache = new MemoryAnswerCache({ maxEntries: 3, maxBytes: 1_000_000 });
  await cache.set("a", ok("A"), 60_000);
  await cache.set("b", ok("B"), 60_000);
  await cache.set("c", ok("C"), 60_000);
  assert.ok(await cache.get("a"), "reading a makes b the least recently used");
  await cache.set("d", ok("D"), 60_000);
  assert.equal(await cache.get("b"), undefined);
  assert.deepEqual(
    [await cache.get("a"), await cache.get("c"), await cache.get("d")],
    [ok("A"), ok("C"), ok("D")],
  );
  assert.equal(cache.size, 3);
});

Deno.test("past maxBytes answers are evicted until the new one fits", async () => {
  const body = "x".repeat(100);
  const one = entryBytes("k1", ok(body));
  assert.equal(one, (2 + 100) * 2 + ENTRY_OVERHEAD_BYTES, "UTF-16 of key and body plus overhead");
  const cache = new MemoryAnswerCache({ maxEntries: 100, maxBytes: one * 3 });
  for (const key of ["k1", "k2", "k3"]) await cache.set(key, ok(body), 60_000);
  assert.equal(cache.bytes, one * 3);
  const bigger = "y".repeat(150);
  await cache.set("k4", ok(bigger), 60_000);
  assert.equal(await cache.get("k1"), undefined);
  assert.equal(await cache.get("k2"), undefined, "one eviction was not enough room");
  assert.deepEqual(await cache.get("k3"), ok(body));
  assert.deepEqual(await cache.get("k4"), ok(bigger));
  assert.ok(cache.bytes <= one * 3);
});

Deno.test("bytes are counted in UTF-16 code units, so non-ASCII bodies count what they hold", () => {
  assert.equal(entryBytes("k", ok("é😀")), (1 + 3) * 2 + ENTRY_OVERHEAD_BYTES);
});

Deno.test("an answer larger than the whole byte budget is not stored and evicts nothing", async () => {
  const cache = new MemoryAnswerCache({ maxEntries: 10, maxBytes: 1_000 });
  await cache.set("small", ok("s"), 60_000);
  await cache.set("huge", ok("h".repeat(1_000)), 60_000);
  assert.equal(await cache.get("huge"), undefined);
  assert.deepEqual(await cache.get("small"), ok("s"));
});

Deno.test("storing an answer again replaces it and its byte count", async () => {
  const cache = new MemoryAnswerCache({ maxEntries: 10, maxBytes: 10_000 });
  await cache.set("k", ok("old answer"), 60_000);
  await cache.set("k", ok("new"), 60_000);
  assert.deepEqual(await cache.get("k"), ok("new"));
  assert.equal(cache.size, 1);
  assert.equal(cache.bytes, entryBytes("k", ok("new")));
  await cache.set("k", ok("h".repeat(10_000)), 60_000);
  assert.equal(await cache.get("k"), undefined, "a newer answer too large to keep drops the older");
});

Deno.test("expired answers make room before any live answer is evicted", async () => {
  const time = clock();
  const cache = new MemoryAnswerCache({ maxEntries: 3, maxBytes: 1_000_000, now: time.now });
  await cache.set("live-1", ok("1"), 60_000);
  await cache.set("stale", ok("2"), 100);
  await cache.set("live-2", ok("3"), 60_000);
  time.advance(200);
  await cache.set("new", ok("4"), 60_000);
  assert.equal(cache.size, 3);
  assert.deepEqual(await cache.get("live-1"), ok("1"), "the least recently used live answer stays");
  assert.deepEqual(await cache.get("live-2"), ok("3"));
  assert.deepEqual(await cache.get("new"), ok("4"));
});

Deno.test("a zero TTL or a zero budget stores nothing", async () => {
  const cache = new MemoryAnswerCache({ maxEntries: 10, maxBytes: 10_000 });
  await cache.set("k", ok("v"), 0);
  assert.equal(await cache.get("k"), undefined);
  const none = new MemoryAnswerCache({ maxEntries: 0, maxBytes: 10_000 });
  await none.set("k", ok("v"), 60_000);
  assert.equal(await none.get("k"), undefined);
});

Deno.test("a caller changing a returned answer does not change the cached one", async () => {
  const cache = new MemoryAnswerCache({ maxEntries: 10, maxBytes: 10_000 });
  const answer = ok("v");
  await cache.set("k", answer, 60_000);
  answer.status = 500;
  const hit = await cache.get("k");
  assert.ok(hit);
  hit.status = 418;
  assert.deepEqual(await cache.get("k"), ok("v"));
});
