import assert from "node:assert/strict";
import { captureLogger } from "../log/testing.ts";
import { GuardedCache } from "./_guarded_cache.ts";

Deno.test("a failing store is a miss, warned about at most once a minute", async () => {
  const captured = captureLogger();
  let now = 0;
  const cache = new GuardedCache({
    get: () => Promise.reject(new Error("down")),
    set: () => Promise.reject(new Error("down")),
  }, { vendor: "acme", logger: captured.logger, redactor: captured.redactor, now: () => now });
  assert.equal(await cache.get("k"), undefined);
  await cache.set("k", { status: 200, body: "{}" }, 1000);
  now = 59_999;
  await cache.get("k");
  assert.equal(captured.lines.length, 1);
  now = 60_000;
  await cache.set("k", { status: 200, body: "{}" }, 1000);
  assert.equal(captured.lines.length, 2);
  assert.match(captured.records()[1]!.message, /\(write\)/);
});
