import assert from "node:assert/strict";
import { backoffDelay, retry, RetryError } from "./retry.ts";

const noSleep = { sleep: () => Promise.resolve() };

Deno.test("retry() returns the first success and counts attempts from 0", async () => {
  const seen: number[] = [];
  const value = await retry((attempt) => {
    seen.push(attempt);
    return attempt < 2 ? Promise.reject(new Error("flaky")) : Promise.resolve("ok");
  }, noSleep);
  assert.equal(value, "ok");
  assert.deepEqual(seen, [0, 1, 2]);
});

Deno.test("retry() throws a non-retriable failure at once, unwrapped", async () => {
  let calls = 0;
  const refused = new Error("refused");
  await assert.rejects(
    retry(() => {
      calls++;
      return Promise.reject(refused);
    }, { ...noSleep, isRetriable: (error) => error !== refused }),
    (error) => error === refused,
  );
  assert.equal(calls, 1);
});

Deno.test("retry() wraps the last failure in RetryError after maxAttempts", async () => {
  let calls = 0;
  const error = await retry(() => {
    calls++;
    return Promise.reject(new Error(`failure ${calls}`));
  }, { ...noSleep, maxAttempts: 3 }).catch((e) => e);
  assert.ok(error instanceof RetryError);
  assert.equal(error.attempts, 3);
  assert.equal((error.cause as Error).message, "failure 3");
  assert.equal(calls, 3);
});

Deno.test("backoffDelay() grows by the multiplier up to the cap; jitter takes a share off", () => {
  const options = { minTimeout: 100, maxTimeout: 1000, multiplier: 2, jitter: 1 };
  assert.deepEqual([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, options, () => 0)), [
    100,
    200,
    400,
    800,
    1000,
    1000,
  ]);
  assert.equal(backoffDelay(2, options, () => 0.5), 200);
  assert.equal(backoffDelay(2, { ...options, jitter: 0.5 }, () => 0.999999), 200);
});

Deno.test("retry() waits what the failure asks for, capped by maxTimeout", async () => {
  const waits: number[] = [];
  await retry((attempt) => attempt < 2 ? Promise.reject(new Error("429")) : Promise.resolve(1), {
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
    delayFor: () => 90_000,
    maxTimeout: 5_000,
  });
  assert.deepEqual(waits, [5_000, 5_000]);
});

Deno.test("retry() stops when the next pause would overrun the budget", async () => {
  let clock = 0;
  let calls = 0;
  const error = await retry(() => {
    calls++;
    return Promise.reject(new Error("down"));
  }, {
    maxAttempts: 100,
    minTimeout: 1000,
    jitter: 0,
    budgetMs: 3500,
    now: () => clock,
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
  }).catch((e) => e);
  // Pauses of 1000 and 2000 fit in 3500 ms; the next (4000) would not.
  assert.ok(error instanceof RetryError);
  assert.equal(calls, 3);
});

Deno.test("retry() gives up at once when aborted during a pause", async () => {
  const controller = new AbortController();
  const pending = retry(() => Promise.reject(new Error("down")), {
    minTimeout: 60_000,
    signal: controller.signal,
    onRetry: () => controller.abort(new Error("shutdown")),
  });
  await assert.rejects(pending, /shutdown/);
});
