import assert from "node:assert/strict";
import { AMBER_STRICT, assertStixError, AUTHOR } from "./_testing.ts";
import { relationshipId } from "./opencti_id.ts";
import { relationship } from "./relationship.ts";

const DOMAIN = "domain-name--47eeb34d-8177-5c44-9716-2295242c6954";
const IP = "ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4";

Deno.test("relationship() keeps start_time out of the id by default", () => {
  assert.deepEqual(
    relationship(
      {
        relationshipType: "resolves-to",
        sourceRef: DOMAIN,
        targetRef: IP,
        startTime: "2026-07-30",
        description: "A record",
      },
      { createdByRef: AUTHOR, markingRefs: [AMBER_STRICT] },
    ),
    {
      type: "relationship",
      spec_version: "2.1",
      id: "relationship--61a3b4fd-cc95-5b67-81ba-ced6f49d9f7c",
      relationship_type: "resolves-to",
      description: "A record",
      source_ref: DOMAIN,
      target_ref: IP,
      start_time: "2026-07-30T00:00:00.000Z",
      created_by_ref: AUTHOR,
      object_marking_refs: [AMBER_STRICT],
    },
  );
});

Deno.test("relationship() puts the times in the id when asked", () => {
  const built = relationship({
    relationshipType: "resolves-to",
    sourceRef: DOMAIN,
    targetRef: IP,
    startTime: "2026-07-30T00:00:00Z",
    stopTime: "2026-08-01T00:00:00Z",
    timesInId: true,
  });
  assert.equal(
    built.id,
    relationshipId({
      relationshipType: "resolves-to",
      sourceRef: DOMAIN,
      targetRef: IP,
      startTime: "2026-07-30T00:00:00.000Z",
      stopTime: "2026-08-01T00:00:00.000Z",
    }),
  );
  assert.equal(built.stop_time, "2026-08-01T00:00:00.000Z");
});

Deno.test("relationship() refuses a bad type, ref or time window", () => {
  const base = { relationshipType: "related-to", sourceRef: DOMAIN, targetRef: IP };
  const check = (fn: () => unknown, property: string, message: RegExp) =>
    assertStixError(fn, property, message, "relationship");
  check(
    () => relationship({ ...base, relationshipType: "Related To" }),
    "relationship_type",
    /lower-case, hyphenated/,
  );
  check(
    () => relationship({ ...base, targetRef: "1.2.3.4" }),
    "target_ref",
    /"1.2.3.4" is not a STIX id/,
  );
  check(
    () => relationship({ ...base, targetRef: DOMAIN }),
    "target_ref",
    /cannot be related to itself/,
  );
  check(
    () =>
      relationship({
        ...base,
        startTime: "2026-08-01T00:00:00Z",
        stopTime: "2026-08-01T00:00:00Z",
      }),
    "stop_time",
    /is not later than start_time/,
  );
  check(
    () => relationship(base, { createdByRef: "identity--nope" }),
    "created_by_ref",
    /not a STIX id/,
  );
});
