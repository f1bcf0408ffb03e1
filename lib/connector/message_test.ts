import assert from "node:assert/strict";
import { MessageError } from "../errors/mod.ts";
import { MAX_MESSAGE_BYTES, parseMessage, salvageWorkId } from "./message.ts";

const IP_ID = "ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7";
const STIX_ENTITY = { id: IP_ID, spec_version: "2.1", type: "ipv4-addr", value: "8.8.8.8" };

function manual(overrides: Record<string, unknown> = {}) {
  return {
    internal: {
      work_id: "work_8f4c_2025-11-02T10:00:00.000Z",
      applicant_id: null,
      draft_id: null,
      mode: "manual",
      trigger: "update",
    },
    event: {
      event_type: "INTERNAL_ENRICHMENT",
      entity_id: IP_ID,
      entity_type: "IPv4-Addr",
      stix_entity: JSON.stringify(STIX_ENTITY),
      stix_objects: null,
      ...overrides,
    },
  };
}

function expectMessageError(body: string | Uint8Array, pattern: RegExp): void {
  assert.throws(() => parseMessage(body), (error: unknown) => {
    assert.ok(error instanceof MessageError, String(error));
    assert.match(error.message, pattern);
    return true;
  });
}

Deno.test("a 6.8.9+ manual enrichment message is parsed with its STIX entity", () => {
  const request = parseMessage(JSON.stringify(manual()));
  assert.equal(request.kind, "enrichment");
  if (request.kind !== "enrichment") return;
  assert.equal(request.workId, "work_8f4c_2025-11-02T10:00:00.000Z");
  assert.equal(request.entityType, "IPv4-Addr");
  assert.equal(request.mode, "manual");
  assert.equal(request.trigger, "update");
  assert.deepEqual(request.stixEntity, STIX_ENTITY);
  assert.equal(request.stixObjects, undefined);
});

Deno.test("a 6.8.0-6.8.8 message has ids only", () => {
  const body = {
    internal: { work_id: "work_1", applicant_id: null, draft_id: "draft-1" },
    event: { event_type: "INTERNAL_ENRICHMENT", entity_id: IP_ID, entity_type: "IPv4-Addr" },
  };
  const request = parseMessage(new TextEncoder().encode(JSON.stringify(body)));
  assert.equal(request.kind, "enrichment");
  if (request.kind !== "enrichment") return;
  assert.equal(request.stixEntity, undefined);
  assert.equal(request.draftId, "draft-1");
  assert.equal(request.mode, undefined);
});

Deno.test("stix_objects may be a list or a whole bundle; an empty stix_entity means absent", () => {
  const asList = parseMessage(
    JSON.stringify(manual({ stix_objects: JSON.stringify([STIX_ENTITY]) })),
  );
  const asBundle = parseMessage(
    JSON.stringify(
      manual({
        stix_objects: JSON.stringify({ type: "bundle", id: "bundle--1", objects: [STIX_ENTITY] }),
      }),
    ),
  );
  assert.ok(asList.kind === "enrichment" && asBundle.kind === "enrichment");
  assert.deepEqual(asList.stixObjects, [STIX_ENTITY]);
  assert.deepEqual(asBundle.stixObjects, [STIX_ENTITY]);
  const empty = parseMessage(JSON.stringify(manual({ stix_entity: "" })));
  assert.ok(empty.kind === "enrichment" && empty.stixEntity === undefined);
});

Deno.test("a playbook message is recognised by its playbook context and bundle", () => {
  const playbook = {
    event_id: "1730541600000-0",
    execution_id: "exec-1",
    playbook_id: "pb-1",
    data_instance_id: IP_ID,
    step_id: "step-2",
    previous_step_id: "step-1",
  };
  const body = {
    internal: {
      work_id: null,
      applicant_id: "c49fe040-2dad-412d-af07-ce639204ad55",
      trigger: "update",
      mode: "auto",
      playbook,
    },
    event: {
      entity_id: IP_ID,
      bundle: { type: "bundle", id: "bundle--1", spec_version: "2.1", objects: [STIX_ENTITY] },
    },
  };
  const request = parseMessage(JSON.stringify(body));
  assert.equal(request.kind, "playbook");
  if (request.kind !== "playbook") return;
  assert.deepEqual(request.playbook, playbook);
  assert.equal(request.applicantId, "c49fe040-2dad-412d-af07-ce639204ad55");
  assert.equal(request.bundle.objects.length, 1);
  assert.equal(
    request.bundle.spec_version,
    "2.1",
    "unknown bundle fields are kept for echoing back",
  );
});

Deno.test("malformed messages are MessageErrors that say what is wrong", () => {
  expectMessageError("{not json", /not valid JSON/);
  expectMessageError(new Uint8Array([0xff, 0xfe, 0x00]), /not valid UTF-8/);
  expectMessageError(JSON.stringify([1, 2]), /not a valid message: \(root\)/);
  expectMessageError(
    JSON.stringify({ internal: {}, event: {} }),
    /neither an event_type nor playbook context/,
  );
  expectMessageError(
    JSON.stringify(manual({ entity_id: 42 })),
    /not a valid enrichment event: entity_id/,
  );
  expectMessageError(JSON.stringify(manual({ entity_type: "" })), /entity_type/);
  expectMessageError(
    JSON.stringify(manual({ stix_entity: "{oops" })),
    /event\.stix_entity is not valid JSON/,
  );
  expectMessageError(
    JSON.stringify(manual({ stix_entity: '{"value":"x"}' })),
    /event\.stix_entity: type/,
  );
  expectMessageError("[".repeat(200_000) + "]".repeat(200_000), /nested too deeply/);
  expectMessageError(
    JSON.stringify(manual({ stix_entity: "[".repeat(100) + "]".repeat(100) })),
    /event\.stix_entity is nested too deeply/,
  );
  expectMessageError(" ".repeat(MAX_MESSAGE_BYTES + 1), /over the \d+-byte limit/);
});

Deno.test("the work id of an unparseable message is salvaged when present", () => {
  assert.equal(
    salvageWorkId(JSON.stringify({ internal: { work_id: "work_9" }, event: 5 })),
    "work_9",
  );
  assert.equal(salvageWorkId("{broken"), null);
  assert.equal(salvageWorkId(JSON.stringify({ internal: { work_id: 12 } })), null);
});
