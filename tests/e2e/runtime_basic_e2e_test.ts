import assert from "node:assert/strict";
import { scoId } from "../../lib/stix/mod.ts";
import { startHarness } from "../support/harness.ts";
import {
  createTestVendor,
  TEST_AUTHOR,
  TEST_LABEL,
  testVendorControl,
} from "../support/test_vendor.ts";

const YAML = {
  connector: {
    vendor: "testvendor",
    name: "Test connector",
    scope: "IPv4-Addr,Domain-Name",
    concurrency: 4,
  },
  testvendor: { api_key: "test-vendor-key-1234" },
};

Deno.test("a 6.8.9+ enrichment message comes back as pycti's split bundles, work tracked", async () => {
  const control = testVendorControl();
  await using h = await startHarness({ vendors: [createTestVendor(control)], yaml: YAML });
  const entity = h.seed("IPv4-Addr", "8.8.8.8", {
    standardId: scoId("ipv4-addr", { value: "8.8.8.8" }),
    tlp: "TLP:GREEN",
  });
  const workId = await h.publishAndWaitForWork(entity);
  const pushed = await h.readPush(4);

  // One object per bundle, dependency order: author, entity and domain first, the relationship last.
  const objects = pushed.map((item) => item.bundle.objects[0]!);
  assert.ok(pushed.every((item) => item.bundle.objects.length === 1));
  assert.equal(new Set(pushed.map((item) => item.bundle.id)).size, 1, "one original bundle id");
  assert.equal(objects.at(-1)!.type, "relationship");
  assert.deepEqual(pushed.map((item) => item.message.action_sequence), [1, 2, 3, 4]);
  assert.deepEqual(
    pushed.map((item) => item.bundle.x_opencti_seq),
    [...pushed.map((item) => item.bundle.x_opencti_seq!)].sort((a, b) => a - b),
  );
  const ip = objects.find((object) => object.type === "ipv4-addr")!;
  assert.equal(ip.id, "ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7");
  assert.equal(ip.x_opencti_score, 42);
  assert.deepEqual(ip.x_opencti_labels, [TEST_LABEL.value]);
  assert.deepEqual(ip.object_marking_refs, [
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
  ], "platform fields kept");
  assert.ok(objects.some((object) => object.id === TEST_AUTHOR.id));

  for (const item of pushed) {
    assert.equal(item.properties.deliveryMode, 2);
    assert.equal(item.properties.contentEncoding, "utf-8");
    assert.equal(item.message.bundle_type, "QUEUE_BUNDLE");
    assert.equal(item.message.work_id, workId);
    assert.equal(item.message.applicant_id, h.runtime.registrations[0]!.connectorUserId);
    assert.equal(item.message.update, true);
  }
  const work = h.octi.work(workId)!;
  assert.equal(work.expectations, 4);
  assert.equal(work.errors.length, 0);
  assert.match(work.messages.at(-1)!.message, /Test vendor enriched 8\.8\.8\.8: 4 bundles/);
  const order = h.octi.calls.map((call) => call.operationName).filter((name) =>
    name?.startsWith("Work")
  );
  assert.deepEqual(order, ["WorkToReceived", "WorkAddExpectations", "WorkToProcessed"]);
  assert.deepEqual(h.octi.labels.map((label) => [label.value, label.color]), [[
    TEST_LABEL.value,
    TEST_LABEL.color,
  ]]);
  assert.deepEqual(h.octi.rejected, [], "every GraphQL document validated");
});
