import assert from "node:assert/strict";
import { createBundle } from "./bundle.ts";
import { StixError } from "./errors.ts";

Deno.test("createBundle() wraps the objects in a STIX 2.1 bundle with a random uuid id", () => {
  const objects = [{ type: "ipv4-addr", id: "ipv4-addr--1", value: "1.2.3.4" }];
  const bundle = createBundle(objects);
  assert.equal(bundle.type, "bundle");
  assert.equal(bundle.spec_version, "2.1");
  assert.match(
    bundle.id,
    /^bundle--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.deepEqual(bundle.objects, objects);
  assert.notEqual(createBundle(objects).id, bundle.id);
  assert.deepEqual(Object.keys(bundle), ["type", "id", "spec_version", "objects"]);
});

Deno.test("createBundle() keeps the first object of each id", () => {
  const first = { type: "ipv4-addr", id: "ipv4-addr--1", value: "1.2.3.4", x_opencti_score: 10 };
  const other = { type: "url", id: "url--2", value: "http://x" };
  const bundle = createBundle([first, other, { ...first, x_opencti_score: 90 }], {
    id: "bundle--fixed",
  });
  assert.deepEqual(bundle, {
    type: "bundle",
    id: "bundle--fixed",
    spec_version: "2.1",
    objects: [first, other],
  });
});

Deno.test("createBundle() refuses objects without an id and a bad bundle id", () => {
  assert.throws(
    () => createBundle([{ type: "ipv4-addr" } as unknown as { type: string; id: string }]),
    (error: unknown) =>
      error instanceof StixError &&
      /object #0: it needs a string "type" and "id"/.test(error.message),
  );
  assert.throws(() => createBundle([], { id: "1234" }), /Invalid bundle id "1234"/);
});
