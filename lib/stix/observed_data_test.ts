import assert from "node:assert/strict";
import { assertStixError } from "./_testing.ts";
import { observedData } from "./observed_data.ts";

const DOMAIN = "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7";
const IP = "ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7";
const AUTHOR = "identity--d49f2c8f-c03d-5064-8265-7790080f4a4a";

Deno.test("observedData() sorts and de-duplicates its refs so the id ignores their order", () => {
  assert.deepEqual(
    observedData(
      {
        objectRefs: [IP, DOMAIN, IP],
        firstObserved: "2024-05-01T10:00:00Z",
        lastObserved: new Date("2024-05-01T10:00:00Z"),
      },
      { createdByRef: AUTHOR },
    ),
    {
      type: "observed-data",
      spec_version: "2.1",
      id: "observed-data--3d5ffde7-ff3a-5e9e-b541-5050bde8f376",
      first_observed: "2024-05-01T10:00:00.000Z",
      last_observed: "2024-05-01T10:00:00.000Z",
      number_observed: 1,
      object_refs: [DOMAIN, IP],
      created_by_ref: AUTHOR,
    },
  );
});

Deno.test("observedData() refuses no refs, a bad count and an inverted window", () => {
  const base = {
    objectRefs: [IP],
    firstObserved: "2024-05-01T10:00:00Z",
    lastObserved: "2024-05-02T10:00:00Z",
  };
  assertStixError(
    () => observedData({ ...base, objectRefs: [] }),
    "object_refs",
    /at least one object is required/,
  );
  assertStixError(
    () => observedData({ ...base, objectRefs: ["8.8.8.8"] }),
    "object_refs",
    /"8.8.8.8" is not a STIX id/,
  );
  assertStixError(
    () => observedData({ ...base, numberObserved: 0 }),
    "number_observed",
    /0 is outside 1–999999999/,
  );
  assertStixError(
    () => observedData({ ...base, firstObserved: "2024-05-03T00:00:00Z" }),
    "last_observed",
    /is before first_observed/,
  );
});
