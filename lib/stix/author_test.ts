import assert from "node:assert/strict";
import { withAuthor } from "./author.ts";
import { StixError } from "./errors.ts";

const AUTHOR = "identity--d49f2c8f-c03d-5064-8265-7790080f4a4a";

Deno.test("withAuthor() sets x_opencti_created_by_ref on observables", () => {
  const ip = {
    type: "ipv4-addr",
    id: "ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7",
    value: "8.8.8.8",
  };
  assert.deepEqual(withAuthor(ip, AUTHOR), { ...ip, x_opencti_created_by_ref: AUTHOR });
  assert.equal("x_opencti_created_by_ref" in ip, false, "the input is not modified");
  for (const type of ["hostname", "x509-certificate", "file", "autonomous-system"]) {
    assert.ok("x_opencti_created_by_ref" in withAuthor({ type, id: `${type}--x` }, AUTHOR), type);
  }
});

Deno.test("withAuthor() sets created_by_ref on SDOs and relationships", () => {
  for (const type of ["location", "relationship", "observed-data", "indicator", "identity"]) {
    const built = withAuthor({ type, id: `${type}--x` }, AUTHOR);
    assert.equal(built.created_by_ref, AUTHOR, type);
    assert.equal("x_opencti_created_by_ref" in built, false, type);
  }
});

Deno.test("withAuthor() leaves the author itself alone and refuses a non-identity author", () => {
  const author = { type: "identity", id: AUTHOR, name: "Silent Push" };
  assert.deepEqual(withAuthor(author, AUTHOR), author);
  assert.throws(
    () => withAuthor(author, "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"),
    (error: unknown) =>
      error instanceof StixError && /is not an id of type "identity"/.test(error.message),
  );
});
