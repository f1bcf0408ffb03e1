import assert from "node:assert/strict";
import { delay } from "./delay.ts";

Deno.test("delay() resolves after the pause", async () => {
  const started = performance.now();
  await delay(30);
  assert.ok(performance.now() - started >= 25);
});

Deno.test("delay() rejects with the signal's reason when aborted, and leaves no timer", async () => {
  const controller = new AbortController();
  const pending = delay(60_000, { signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(pending, /stop/);
});

Deno.test("delay() rejects at once for a signal already aborted", async () => {
  await assert.rejects(delay(10, { signal: AbortSignal.abort(new Error("gone")) }), /gone/);
});
