import assert from "node:assert/strict";
import { StixError } from "./errors.ts";
import { STIX_ID_NAMESPACE, stixIdFromName, uuidV5 } from "./uuid_v5.ts";

Deno.test("uuidV5() matches the RFC 4122 DNS-namespace example python.org", () => {
  // Python's documented uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
  assert.equal(
    uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
    "886313e1-3b8a-5372-9b90-0c9aee199e5d",
  );
});

Deno.test("uuidV5() hashes the name as UTF-8 and accepts an upper-case namespace", () => {
  assert.equal(
    uuidV5(STIX_ID_NAMESPACE.toUpperCase(), '{"identity_class":"organization","name":"café"}'),
    "dd0ea54f-f59b-5619-b4d4-d980e61eb198",
  );
});

Deno.test("uuidV5() refuses a namespace that is not a UUID", () => {
  assert.throws(
    () => uuidV5("not-a-uuid", "x"),
    (error: unknown) =>
      error instanceof StixError && /Invalid UUID namespace "not-a-uuid"/.test(error.message),
  );
});

Deno.test("stixIdFromName() prefixes the type to the STIX-namespace UUID", () => {
  assert.equal(
    stixIdFromName("ipv4-addr", '{"value":"8.8.8.8"}'),
    "ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7",
  );
});
