import assert from "node:assert/strict";
import { scoId, TLP_MARKING_IDS } from "../../lib/stix/mod.ts";
import { VENDORS } from "../../lib/vendors/mod.ts";
import { MESSAGES } from "../../lib/vendors/proofpoint_et/mod.ts";
import type { FakeVendorServer } from "../fake_vendors/fake_server.ts";
import { startFakeProofpointEt } from "../fake_vendors/proofpoint_et.ts";
import { startFakeSilentPush } from "../fake_vendors/silentpush.ts";
import { type Harness, startHarness } from "../support/harness.ts";

/** The connector with every vendor module, configured for Silent Push on `api` up to `maxTlp`. */
function startSilentPushHarness(api: FakeVendorServer, maxTlp: string): Promise<Harness> {
  return startHarness({
    vendors: VENDORS,
    yaml: {
      connector: { vendor: "silentpush" },
      silentpush: { api_key: api.apiKey, api_base_url: api.url, max_tlp: maxTlp },
    },
  });
}

Deno.test("Silent Push end to end: an IPv4 message comes back as the expected split bundle", async () => {
  await using api = startFakeSilentPush();
  await using h = await startSilentPushHarness(api, "TLP:AMBER");
  const id = scoId("ipv4-addr", { value: "198.51.100.7" });
  const entity = h.seed("IPv4-Addr", "198.51.100.7", { standardId: id, tlp: "TLP:GREEN" });
  const workId = await h.publishAndWaitForWork(entity);
  const work = h.octi.work(workId)!;
  const pushed = await h.readPush(work.expectations);
  const objects = pushed.map((item) => item.bundle.objects[0]!);
  const ip = objects.find((o) => o.id === id)!;
  assert.equal(ip.x_opencti_score, 87);
  assert.deepEqual(ip.x_opencti_labels, [
    "is_proxy",
    "ip_has_expired_certificate",
    "ip_is_tor_exit_node",
  ]);
  assert.ok(objects.some((o) => o.id === "identity--d49f2c8f-c03d-5064-8265-7790080f4a4a"));
  assert.ok(objects.some((o) => o.type === "autonomous-system" && o.number === 64500));
  const seqs = pushed.map((item) => item.bundle.x_opencti_seq!);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), "dependency order");
  const firstRelationship = objects.findIndex((o) => o.type === "relationship");
  assert.ok(
    objects.slice(firstRelationship).every((o) => o.type === "relationship"),
    "relationships after their ends",
  );
  assert.deepEqual(h.octi.labels.map((l) => l.value).sort(), [
    "ip_has_expired_certificate",
    "ip_is_tor_exit_node",
    "is_proxy",
  ]);
  assert.equal(work.errors.length, 0);
  assert.match(work.messages.at(-1)!.message, /Silent Push enriched IPv4-Addr "198\.51\.100\.7"/);
  assert.deepEqual(h.octi.rejected, []);
});

Deno.test("Silent Push end to end: no request reaches the API for an entity over the max TLP", async () => {
  await using api = startFakeSilentPush();
  await using h = await startSilentPushHarness(api, "TLP:GREEN");
  const entity = h.seed("IPv4-Addr", "198.51.100.7", {
    standardId: scoId("ipv4-addr", { value: "198.51.100.7" }),
    tlp: "TLP:AMBER",
  });
  const workId = await h.publishAndWaitForWork(entity);
  assert.equal(api.requests.length, 0);
  assert.match(h.octi.work(workId)!.errors[0]!.message, /not sent to Silent Push/);
});

Deno.test("ET Intelligence end to end: a domain message comes back as the expected split bundle", async () => {
  await using api = startFakeProofpointEt();
  await using h = await startHarness({
    vendors: VENDORS,
    yaml: {
      connector: { vendor: "proofpoint-et" },
      proofpoint_et_intelligence: {
        api_key: api.apiKey,
        api_base_url: api.url,
        import_last_seen_time_window: "P3650D",
      },
    },
  });
  const id = scoId("domain-name", { value: "bad.example.org" });
  const entity = h.seed("Domain-Name", "bad.example.org", { standardId: id });
  const workId = await h.publishAndWaitForWork(entity);
  const work = h.octi.work(workId)!;
  const pushed = await h.readPush(work.expectations);
  const objects = pushed.map((item) => item.bundle.objects[0]!);
  assert.deepEqual(objects.find((o) => o.id === id)!.x_opencti_labels, ["Phishing"]);
  assert.equal(objects.find((o) => o.id === id)!.x_opencti_score, 60);
  const ip = objects.find((o) => o.type === "ipv4-addr")!;
  assert.equal(ip.value, "1.2.3.4");
  assert.deepEqual(ip.object_marking_refs, [TLP_MARKING_IDS["TLP:AMBER+STRICT"]]);
  assert.ok(
    objects.some((o) =>
      o.type === "relationship" && o.relationship_type === "resolves-to" && o.source_ref === id &&
      o.target_ref === ip.id
    ),
  );
  assert.ok(
    objects.some((o) =>
      o.type === "relationship" && o.relationship_type === "communicates-with" &&
      o.target_ref === id
    ),
  );
  assert.ok(objects.some((o) => o.id === "identity--fed9dc45-9659-5e32-9d2d-eb9a45df43a7"));
  const message = work.messages.at(-1)!.message;
  assert.ok(message.startsWith(MESSAGES.collected(pushed.length)), message);
  // The fixture's IPv6 resolution is not an IPv4: it is skipped, and the work message says so.
  assert.match(
    message,
    /1 of 2 ProofPoint ET Intelligence IPs of bad\.example\.org skipped as invalid/,
  );
  assert.deepEqual(h.octi.rejected, []);
});
