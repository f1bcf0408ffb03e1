/**
 * Vendor answers carry attacker-chosen data and may be huge: whatever an
 * answer holds, an enrichment takes at most `maxRelated` items of each list,
 * skips invalid values, reports what it left out in one notice per list,
 * writes a constant number of log lines and does no work proportional to
 * the answer beyond the caps.
 */
import assert from "node:assert/strict";
import type { EnrichmentLimits } from "../../lib/config/mod.ts";
import type { StixObject } from "../../lib/stix/mod.ts";
import type { EnrichmentNotice, EnrichmentResult, VendorModule } from "../../lib/vendors/mod.ts";
import { PROOFPOINT_ET_VENDOR } from "../../lib/vendors/proofpoint_et/mod.ts";
import { SILENTPUSH_VENDOR } from "../../lib/vendors/silentpush/mod.ts";
import type { FakeVendorServer } from "../fake_vendors/fake_server.ts";
import { etAnswer, startFakeProofpointEt } from "../fake_vendors/proofpoint_et.ts";
import { startFakeSilentPush } from "../fake_vendors/silentpush.ts";
import { observable, recordingContext, testEnricher } from "./_context.ts";

const TODAY = "2026-08-20";
const IP = "198.51.100.200";
const DOMAIN = "hostile.example";
const AN_IP = { type: "ipv4-addr", value: IP };
const A_DOMAIN = { type: "domain-name", value: DOMAIN };

interface Run {
  result: EnrichmentResult;
  notices: EnrichmentNotice[];
  labels: Array<[string, string]>;
  logLines: number;
  elapsedMs: number;
}

async function run(
  vendor: VendorModule,
  fake: FakeVendorServer,
  entity: { type: string; value: string },
  limits: Partial<EnrichmentLimits> = {},
  settings: Record<string, unknown> = {},
): Promise<Run> {
  const recording = recordingContext({ limits, now: new Date(`${TODAY}T12:00:00.000Z`) });
  const { enrich } = testEnricher(vendor, recording, {
    api_base_url: fake.url,
    api_key: fake.apiKey,
    max_retries: 0,
    max_response_mb: 64,
    ...settings,
  });
  const entityType = entity.type === "ipv4-addr" ? "IPv4-Addr" : "Domain-Name";
  const started = performance.now();
  const result = await enrich(entityType, observable(entity.type, entity.value));
  return {
    result,
    notices: recording.notices,
    labels: recording.labels,
    logLines: recording.captured.lines.length,
    elapsedMs: performance.now() - started,
  };
}

function ofType(result: EnrichmentResult, type: string): StixObject[] {
  return result.objects.filter((object) => object.type === type);
}

function notice(run: Run, kind: string, subject: RegExp): EnrichmentNotice | undefined {
  return run.notices.find((item) => item.kind === kind && subject.test(item.subject));
}

/** The notice that CONNECTOR_MAX_RELATED cut the list `subject` to `kept` of its `total` items. */
function cappedNotice(subject: string, kept: number, total: number): EnrichmentNotice {
  return { kind: "capped", subject, kept, total, setting: "CONNECTOR_MAX_RELATED" };
}

/** However large the answer, the run wrote at most 5 log lines and took under 1.5 s. */
function assertCheap(run: Run): void {
  assert.ok(run.logLines <= 5, `${run.logLines} log lines`);
  assert.ok(run.elapsedMs < 1500, `${run.elapsedMs} ms`);
}

Deno.test("ET: 100k related domains become at most maxRelated domains and one capped notice", async () => {
  await using fake = startFakeProofpointEt();
  const domains = Array.from({ length: 100_000 }, (_, i) => ({
    domain: `d${i}.example.com`,
    first_seen: TODAY,
    last_seen: TODAY,
  }));
  fake.respond(/\/domains$/, 200, etAnswer(domains));
  const outcome = await run(PROOFPOINT_ET_VENDOR, fake, AN_IP);
  assert.equal(ofType(outcome.result, "domain-name").length, 500);
  assert.ok(outcome.result.objects.length <= 2 * 500 + 20, `${outcome.result.objects.length}`);
  assert.deepEqual(
    notice(outcome, "capped", /domains of/),
    cappedNotice(`ProofPoint ET Intelligence domains of ${IP}`, 500, 100_000),
  );
  assertCheap(outcome);
});

Deno.test("ET: 2M invalid items cost maxRelated checks, two notices and no per-item log line", async () => {
  await using fake = startFakeProofpointEt();
  fake.respond(/\/domains$/, 200, etAnswer(new Array(2_000_000).fill(0)));
  const outcome = await run(PROOFPOINT_ET_VENDOR, fake, AN_IP);
  assert.equal(ofType(outcome.result, "domain-name").length, 0);
  const domainNotices = outcome.notices.filter((item) => /domains of/.test(item.subject));
  assert.deepEqual(domainNotices.map((item) => [item.kind, item.kept, item.total]), [
    ["capped", 500, 2_000_000],
    ["invalid", 0, 500],
  ]);
  assert.equal(domainNotices[1]!.reasons!.length, 3);
  assertCheap(outcome);
});

Deno.test("ET: 2,000 reputation categories ask for at most maxRelated labels", async () => {
  await using fake = startFakeProofpointEt();
  const categories = Array.from({ length: 2000 }, (_, i) => ({ category: `Cat${i}`, score: 10 }));
  fake.respond(/\/reputation$/, 200, etAnswer(categories));
  const outcome = await run(PROOFPOINT_ET_VENDOR, fake, AN_IP, { maxRelated: 100 });
  assert.equal(outcome.labels.length, 100);
  assert.deepEqual(
    notice(outcome, "capped", /reputation of/),
    cappedNotice(`ProofPoint ET Intelligence reputation of ${IP}`, 100, 2000),
  );
});

Deno.test("ET: a 1,000,000-character category and one with control characters never become labels", async () => {
  await using fake = startFakeProofpointEt();
  fake.respond(
    /\/reputation$/,
    200,
    etAnswer([
      { category: "x".repeat(1_000_000), score: 90 },
      { category: "CnC\n\u0000<b>", score: 80 },
      { category: "Bot", score: 40 },
    ]),
  );
  const outcome = await run(PROOFPOINT_ET_VENDOR, fake, AN_IP);
  assert.deepEqual(outcome.labels.map(([value]) => value), ["Bot"]);
  const invalid = notice(outcome, "invalid", /reputation of/)!;
  assert.equal(invalid.kept, 1);
  assert.equal(invalid.total, 3);
  assert.match(invalid.reasons![0]!, /1000000 characters, more than the 2048 allowed/);
  assert.match(invalid.reasons![1]!, /control characters/);
  assert.ok(invalid.reasons!.every((reason) => reason.length <= 201));
  const entity = outcome.result.objects.find((o) => o.type === "ipv4-addr" && o.value === IP)!;
  assert.equal(entity.x_opencti_score, 40, "the score comes from the entries kept");
});

Deno.test("ET: a reputation list of 125k entries is scored without building a call stack", async () => {
  await using fake = startFakeProofpointEt();
  const entries = Array.from({ length: 125_000 }, (_, i) => ({ category: "CnC", score: i % 90 }));
  fake.respond(/\/reputation$/, 200, etAnswer(entries));
  const outcome = await run(PROOFPOINT_ET_VENDOR, fake, AN_IP);
  const entity = outcome.result.objects.find((o) => o.type === "ipv4-addr" && o.value === IP)!;
  assert.equal(entity.x_opencti_score, 89);
  assert.deepEqual(entity.x_opencti_labels, ["CnC"]);
  assert.equal(notice(outcome, "capped", /reputation of/)?.total, 125_000);
});

Deno.test("ET: the highest score of more entries than a call may take arguments is found with a loop", async () => {
  await using fake = startFakeProofpointEt();
  const entries = Array.from({ length: 300_000 }, (_, i) => ({ category: "C", score: i % 64 }));
  fake.respond(/\/reputation$/, 200, etAnswer(entries));
  const settings = { ip_lookups: "reputation" };
  const outcome = await run(PROOFPOINT_ET_VENDOR, fake, AN_IP, { maxRelated: 300_000 }, settings);
  const entity = outcome.result.objects.find((o) => o.type === "ipv4-addr" && o.value === IP)!;
  assert.equal(entity.x_opencti_score, 63);
});

Deno.test("ET: with ip_lookups reputation,asn an IPv4 costs exactly two requests", async () => {
  await using fake = startFakeProofpointEt();
  const settings = { ip_lookups: "reputation,asn", domain_lookups: "ips" };
  const ip = { type: "ipv4-addr", value: "198.51.100.7" };
  const outcome = await run(PROOFPOINT_ET_VENDOR, fake, ip, {}, settings);
  assert.deepEqual(fake.requests.map((r) => r.path).sort(), [
    "/v1/ips/198.51.100.7/asn",
    "/v1/ips/198.51.100.7/reputation",
  ]);
  assert.ok(ofType(outcome.result, "autonomous-system").length === 1);
  assert.equal(ofType(outcome.result, "domain-name").length, 0);
  fake.requests.length = 0;
  const domain = { type: "domain-name", value: "bad.example.org" };
  await run(PROOFPOINT_ET_VENDOR, fake, domain, {}, settings);
  assert.deepEqual(fake.requests.map((r) => r.path), ["/v1/domains/bad.example.org/ips"]);
});

Deno.test("Silent Push: 50k name servers become at most maxRelated name servers and one capped notice", async () => {
  await using fake = startFakeSilentPush();
  const servers = Array.from({ length: 50_000 }, (_, i) => ({
    domain: "example-dns.net",
    ns_server: `ns${i}.example-dns.net`,
  }));
  fake.respond(/\/enrich\/domain\/[^/]+\/enrich\/$/, 200, {
    sp_risk_score: 10,
    ns_reputation: { ns_srv_reputation: servers },
  });
  fake.respond(/ip-diversity/, 200, { records: [] });
  const outcome = await run(SILENTPUSH_VENDOR, fake, A_DOMAIN);
  const names = ofType(outcome.result, "hostname");
  assert.equal(names.length, 500);
  assert.deepEqual(
    notice(outcome, "capped", /name servers of/),
    cappedNotice(`Silent Push name servers of ${DOMAIN}`, 500, 50_000),
  );
  assertCheap(outcome);
});

Deno.test("Silent Push: A records nested in host records share one cap", async () => {
  await using fake = startFakeSilentPush();
  const records = Array.from({ length: 200 }, (_, r) => ({
    host: `h${r}.${DOMAIN}`,
    asn_timelines: Array.from({ length: 50 }, (_, i) => ({ ip: `203.0.${r}.${i}`, asn: 64500 })),
  }));
  fake.respond(/\/enrich\/domain\/[^/]+\/enrich\/$/, 404, {});
  fake.respond(/ip-diversity/, 200, { records });
  const outcome = await run(SILENTPUSH_VENDOR, fake, A_DOMAIN, { maxRelated: 30 });
  assert.equal(ofType(outcome.result, "ipv4-addr").length, 30);
  assert.equal(ofType(outcome.result, "hostname").length, 30);
  assert.deepEqual(
    outcome.notices.map((item) => [item.kind, item.subject, item.kept, item.total]),
    [
      ["capped", `Silent Push host records of ${DOMAIN}`, 30, 200],
      ["capped", `Silent Push A records of ${DOMAIN}`, 30, 1500],
    ],
  );
});

Deno.test("Silent Push: invalid hosts, IPs and names in an answer are skipped and summed up", async () => {
  await using fake = startFakeSilentPush();
  fake.respond(/\/enrich\/ipv4\//, 200, {
    ip2asn: [{
      sp_risk_score: 50,
      ip_ptr: "<script>alert(1)</script>",
      subnet: "not-a-subnet",
      asn: -5,
      ip_location: { country_name: "x".repeat(10_000) },
      scan_data: {
        certificates: Array.from({ length: 1000 }, () => "junk"),
        favicon: [{ favicon_md5: "a\r\nb" }],
      },
    }],
  });
  const outcome = await run(SILENTPUSH_VENDOR, fake, AN_IP);
  assert.equal(outcome.result.outcome, "enriched");
  assert.deepEqual(outcome.result.objects.map((o) => o.type).sort(), ["identity", "ipv4-addr"]);
  const fields = notice(outcome, "invalid", /answer about/)!;
  assert.equal(fields.total - fields.kept, 4);
  assert.deepEqual(
    outcome.notices.map((item) => [item.kind, item.subject, item.kept, item.total]).slice(1),
    [
      ["capped", `Silent Push certificates of ${IP}`, 500, 1000],
      ["invalid", `Silent Push certificates of ${IP}`, 0, 500],
      ["invalid", `Silent Push favicons of ${IP}`, 0, 1],
    ],
  );
  assert.ok(outcome.logLines <= 5, `${outcome.logLines} log lines`);
});
