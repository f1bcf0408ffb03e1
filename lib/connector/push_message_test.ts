import assert from "node:assert/strict";
import { buildPushMessage, decodePushContent, encodePushMessage } from "./push_message.ts";

const BUNDLE = {
  type: "bundle",
  id: "bundle--6d4c3f6e-8f5e-4c1e-9a51-0d5d2a0c1e11",
  spec_version: "2.1",
  x_opencti_seq: 0,
  objects: [{
    type: "ipv4-addr",
    id: "ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7",
    value: "8.8.8.8",
    x_opencti_labels: ["café"],
  }],
};

Deno.test("a push message carries pycti's QUEUE_BUNDLE fields and base64 UTF-8 JSON", () => {
  const message = buildPushMessage(BUNDLE, 3, {
    applicantId: "user-1",
    workId: "work_1",
    draftId: null,
  });
  assert.deepEqual(Object.keys(message).sort(), [
    "action_sequence",
    "applicant_id",
    "bundle_type",
    "content",
    "draft_id",
    "entities_types",
    "update",
    "work_id",
  ]);
  assert.equal(message.bundle_type, "QUEUE_BUNDLE");
  assert.equal(message.action_sequence, 3);
  assert.deepEqual(message.entities_types, []);
  assert.equal(message.update, true);
  assert.match(message.content, /^[A-Za-z0-9+/]+={0,2}$/, "standard base64 with padding");
  assert.deepEqual(decodePushContent(message.content), BUNDLE, "non-ASCII survives the round trip");
});

Deno.test("the work_id key is omitted when the message has no work", () => {
  const message = buildPushMessage(BUNDLE, 1, {
    applicantId: null,
    workId: null,
    draftId: "draft-9",
  });
  assert.equal(Object.hasOwn(message, "work_id"), false);
  assert.equal(message.draft_id, "draft-9");
  assert.equal(message.applicant_id, null);
});

Deno.test("the published bytes are exactly the JSON of the envelope, for every padding and any text", () => {
  const contexts = [
    { applicantId: "user-1", workId: "work_1", draftId: null },
    { applicantId: null, workId: null, draftId: "draft-9" },
    { applicantId: 'us"er\\é', workId: "wörk", draftId: "dräft\n" },
  ];
  // Labels of 0, 1 and 2 extra bytes cover the three base64 endings; one is 4-byte UTF-8.
  const labels = ["", "a", "ab", "café", "😀", "x".repeat(100_000)];
  for (const context of contexts) {
    for (const label of labels) {
      const bundle = { ...BUNDLE, objects: [{ ...BUNDLE.objects[0], x_opencti_labels: [label] }] };
      assert.equal(
        new TextDecoder().decode(encodePushMessage(bundle, 7, context)),
        JSON.stringify(buildPushMessage(bundle, 7, context)),
        `${JSON.stringify(context)} ${label.slice(0, 8)}`,
      );
    }
  }
});

Deno.test("a bundle larger than the scratch buffer is encoded whole", () => {
  const bundle = {
    ...BUNDLE,
    objects: [{ ...BUNDLE.objects[0], description: "é".repeat(400_000) }],
  };
  const context = { applicantId: null, workId: "w", draftId: null };
  const bytes = encodePushMessage(bundle, 1, context);
  const envelope = JSON.parse(new TextDecoder().decode(bytes));
  assert.deepEqual(decodePushContent(envelope.content), bundle);
});
