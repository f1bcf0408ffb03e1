import assert from "node:assert/strict";
import { abortable } from "./abortable.ts";

Deno.test("abortable() gives the pending promise's value or error while the signal holds", async () => {
  const controller = new AbortController();
  assert.equal(await abortable(Promise.resolve(7), controller.signal), 7);
  await assert.rejects(abortable(Promise.reject(new Error("boom")), controller.signal), /boom/);
});

Deno.test("abortable() rejects with the signal's reason as soon as it aborts, though the work hangs", async () => {
  const controller = new AbortController();
  const hanging = new Promise<never>(() => {});
  const raced = abortable(hanging, controller.signal);
  controller.abort(new Error("Stopped by SIGTERM"));
  await assert.rejects(raced, /Stopped by SIGTERM/);
});

Deno.test("abortable() rejects at once on an already aborted signal; the late failure is not unhandled", async () => {
  const reason = new Error("already stopped");
  const late = Promise.withResolvers<never>();
  const raced = abortable(late.promise, AbortSignal.abort(reason));
  await assert.rejects(raced, (error) => error === reason);
  late.reject(new Error("late failure"));
  await new Promise((resolve) => setTimeout(resolve, 0));
});

Deno.test("abortable() without a signal returns the promise itself", () => {
  const pending = Promise.resolve(1);
  assert.equal(abortable(pending), pending);
});
