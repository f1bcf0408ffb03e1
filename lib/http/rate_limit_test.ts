import assert from "node:assert/strict";
import { SlidingWindowLimiter } from "./rate_limit.ts";

Deno.test("a waiting caller can give up without blocking the others", async () => {
  const limiter = new SlidingWindowLimiter(1, 100);
  await limiter.acquire();
  const controller = new AbortController();
  const gaveUp = limiter.acquire(controller.signal).then(
    () => "got",
    (e) => `aborted: ${e.message}`,
  );
  controller.abort(new Error("stop"));
  assert.equal(await gaveUp, "aborted: stop");
  const started = performance.now();
  await limiter.acquire();
  assert.ok(performance.now() - started >= 90);
});

Deno.test("acquire() tells how long the caller waited for its slot", async () => {
  const limiter = new SlidingWindowLimiter(1, 80);
  assert.ok(await limiter.acquire() < 5, "a free slot costs no wait");
  const waited = await limiter.acquire();
  assert.ok(waited >= 70 && waited < 400, `waited ${waited} ms`);
});
