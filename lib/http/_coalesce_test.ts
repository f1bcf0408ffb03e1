import assert from "node:assert/strict";
import { InFlight } from "./_coalesce.ts";

Deno.test("the shared work is aborted once every caller has given up, and the next caller starts afresh", async () => {
  const inflight = new InFlight<string>();
  const signals: AbortSignal[] = [];
  // Slow to notice the abort, as a request in the middle of a read can be.
  const work = (signal: AbortSignal) => {
    signals.push(signal);
    return new Promise<string>((resolve) => setTimeout(() => resolve("stale"), 100));
  };
  const a = new AbortController();
  const b = new AbortController();
  const first = inflight.run("k", a.signal, work).catch((e) => e.message);
  const second = inflight.run("k", b.signal, work).catch((e) => e.message);
  a.abort(new Error("a quit"));
  assert.equal(signals[0]!.aborted, false, "one caller still waits");
  b.abort(new Error("b quit"));
  assert.deepEqual(await Promise.all([first, second]), ["a quit", "b quit"]);
  assert.equal(signals[0]!.aborted, true);
  assert.equal(inflight.size, 0, "the abandoned work is forgotten at once");
  const fresh = inflight.run("k", undefined, () => Promise.resolve("new"));
  assert.deepEqual(await fresh, { value: "new", joined: false });
  assert.equal(signals.length, 1);
  await new Promise((resolve) => setTimeout(resolve, 120));
});

Deno.test("callers joining during `after` share the finished result", async () => {
  const inflight = new InFlight<number>();
  const stored = Promise.withResolvers<void>();
  let runs = 0;
  const work = () => Promise.resolve(++runs);
  const first = await inflight.run("k", undefined, work, () => stored.promise);
  const joined = await inflight.run("k", undefined, work);
  assert.deepEqual([first, joined], [{ value: 1, joined: false }, { value: 1, joined: true }]);
  stored.resolve();
  await stored.promise;
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(inflight.size, 0);
});
