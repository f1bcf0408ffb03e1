import assert from "node:assert/strict";
import { bodyDigest, WorkMemory } from "./memory.ts";

Deno.test("WorkMemory remembers outcomes and requeue counts per key", () => {
  const memory = new WorkMemory();
  assert.equal(memory.recall("a"), undefined);
  memory.remember("a", { state: "completed" });
  assert.deepEqual(memory.recall("a"), { state: "completed" });
  assert.equal(memory.requeued("b"), 1);
  assert.equal(memory.requeued("b"), 2);
  assert.equal(memory.requeues("b"), 2);
});

Deno.test("WorkMemory forgets the oldest entries beyond its capacity", () => {
  const memory = new WorkMemory(3);
  for (const key of ["a", "b", "c", "d"]) memory.remember(key, { state: "completed" });
  assert.equal(memory.size, 3);
  assert.equal(memory.recall("a"), undefined);
  assert.deepEqual(memory.recall("d"), { state: "completed" });
});

Deno.test("begin() makes a second delivery of the same key wait for the first", async () => {
  const memory = new WorkMemory();
  const order: string[] = [];
  const release = await memory.begin("k");
  const second = memory.begin("k").then((done) => {
    order.push("second");
    done();
  });
  await new Promise((resolve) => setTimeout(resolve, 5));
  order.push("first");
  release();
  await second;
  assert.deepEqual(order, ["first", "second"]);
});

Deno.test("bodyDigest() tells different bodies apart and is stable", () => {
  const encode = (text: string) => new TextEncoder().encode(text);
  assert.equal(bodyDigest(encode("abc")), bodyDigest(encode("abc")));
  assert.notEqual(bodyDigest(encode("abc")), bodyDigest(encode("abd")));
  assert.notEqual(bodyDigest(encode("ab")), bodyDigest(encode("ba")));
});
