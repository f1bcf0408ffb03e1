import assert from "node:assert/strict";
import { InFlight } from "./in_flight.ts";

Deno.test("InFlight counts running tasks, whether they resolve or reject", async () => {
  const inFlight = new InFlight();
  const ok = Promise.withResolvers<void>();
  const failing = Promise.withResolvers<void>();
  const tracked = [inFlight.track(ok.promise), inFlight.track(failing.promise)];
  assert.equal(inFlight.size, 2);
  ok.resolve();
  failing.reject(new Error("handled by the message's own handler"));
  await Promise.all(tracked);
  assert.equal(inFlight.size, 0);
});

Deno.test("InFlight.settled() waits for tasks started while waiting, or gives up at the deadline", async () => {
  const inFlight = new InFlight();
  const first = Promise.withResolvers<void>();
  const second = Promise.withResolvers<void>();
  void inFlight.track(first.promise);
  const waiting = inFlight.settled(2_000);
  void inFlight.track(second.promise);
  first.resolve();
  await new Promise((resolve) => setTimeout(resolve, 10));
  second.resolve();
  assert.equal(await waiting, true);

  void inFlight.track(new Promise<never>(() => {}));
  assert.equal(await inFlight.settled(20), false, "a task that never ends hits the deadline");
});
