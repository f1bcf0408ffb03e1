import assert from "node:assert/strict";
import type { EnrichmentLimits } from "../../lib/config/mod.ts";
import { countryLocation, relationshipId, scoId, TLP_MARKING_IDS } from "../../lib/stix/mod.ts";
import {
  countryName,
  MESSAGES,
  PROOFPOINT_ET_VENDOR,
} from "../../lib/vendors/proofpoint_et/mod.ts";
import { readFixture } from "../fake_vendors/fake_server.ts";
import { startFakeProofpointEt } from "../fake_vendors/proofpoint_et.ts";
import { enricherOnFake, messageOf, observable, relation, vendorFailure } from "./_context.ts";

const AUTHOR_ID = "identity--fed9dc45-9659-5e32-9d2d-eb9a45df43a7";
const AMBER_STRICT = TLP_MARKING_IDS["TLP:AMBER+STRICT"];
const NOW = new Date("2026-08-20T12:00:00.000Z");

type Fake = ReturnType<typeof startFakeProofpointEt>;

function setup(
  fake: Fake,
  overrides: Record<string, unknown> = {},
  options: { limits?: Partial<EnrichmentLimits> } = {},
) {
  return enricherOnFake(PROOFPOINT_ET_VENDOR, fake, { rate_limit: 0, ...overrides }, {
    ...options,
    now: NOW,
  });
}

Deno.test("ET: an IPv4 is looked up with 5 calls and mapped as the reference does, with the time window", async () => {
  await using fake = startFakeProofpointEt();
  const { enrich, labels, notices } = setup(fake);
  const entity = observable("ipv4-addr", "198.51.100.7");
  const result = await enrich("IPv4-Addr", entity);
  assert.deepEqual(fake.requests.map((r) => r.path).sort(), [
    "/v1/ips/198.51.100.7/asn",
    "/v1/ips/198.51.100.7/domains",
    "/v1/ips/198.51.100.7/geoloc",
    "/v1/ips/198.51.100.7/reputation",
    "/v1/ips/198.51.100.7/samples",
  ]);
  const ip = result.objects.find((o) => o.id === entity.id)!;
  assert.deepEqual(ip.x_opencti_labels, ["CnC", "Bot"]);
  assert.deepEqual(labels.map(([value]) => value), ["CnC", "Bot"]);
  assert.equal(ip.x_opencti_score, 100, "highest score 110 capped at 100");
  assert.equal(ip.x_opencti_created_by_ref, AUTHOR_ID);
  assert.equal(ip.object_marking_refs, undefined, "the enriched entity is not marked");

  // Inclusive window: 2026-07-21 is kept, 2026-07-20 dropped; the trailing-dot item is skipped.
  const domains = result.objects.filter((o) => o.type === "domain-name").map((o) => o.value).sort();
  assert.deepEqual(domains, ["bad.example.org", "boundary.example.org"]);
  const bad = scoId("domain-name", { value: "bad.example.org" });
  const resolves = relation(result, "resolves-to", bad, entity.id)!;
  assert.equal(resolves.start_time, "2026-07-30T00:00:00.000Z");
  assert.equal(
    resolves.id,
    relationshipId({ relationshipType: "resolves-to", sourceRef: bad, targetRef: entity.id }),
  );
  // Invalid items are left out and summed up, one notice per list.
  assert.deepEqual(notices, [
    {
      kind: "invalid",
      subject: "ProofPoint ET Intelligence domains of 198.51.100.7",
      kept: 3,
      total: 4,
      reasons: ["domain: not a domain name (empty label)"],
    },
    {
      kind: "invalid",
      subject: "ProofPoint ET Intelligence samples of 198.51.100.7",
      kept: 1,
      total: 2,
      reasons: ["source: not an MD5 (32 hexadecimal characters)"],
    },
    {
      kind: "invalid",
      subject: "ProofPoint ET Intelligence countries of 198.51.100.7",
      kept: 2,
      total: 4,
      reasons: ["no country name for the code EU", "no country name for the code (none)"],
    },
  ]);

  const sample = result.objects.find((o) => o.type === "file")!;
  assert.deepEqual(sample.hashes, { MD5: "6c885bee0b4ef2f539b26298b252212d" });
  assert.equal(sample.id, "file--f772742a-97e3-538f-b375-71fea8937c84");
  assert.ok(relation(result, "communicates-with", sample.id, entity.id));

  // Countries: payload name first, else the code's name; an unknown code is skipped.
  const locations = result.objects.filter((o) => o.type === "location");
  assert.deepEqual(locations.map((l) => [l.name, l.country]).sort(), [["France", "FR"], [
    "Germany",
    "DE",
  ]]);
  const france = locations.find((l) => l.name === "France")!;
  assert.equal(france.city, "Paris");
  assert.equal(france.latitude, 48.86);
  assert.ok(relation(result, "located-at", entity.id, france.id));

  const system = result.objects.find((o) => o.type === "autonomous-system")!;
  assert.equal(system.id, scoId("autonomous-system", { number: 64500 }));
  assert.equal(system.number, 64500);
  assert.equal(system.name, "EXAMPLE-NET");
  assert.ok(relation(result, "belongs-to", entity.id, system.id));

  for (const object of result.objects) {
    if (
      object.id === entity.id || object.id === AUTHOR_ID || object.type === "marking-definition"
    ) continue;
    assert.deepEqual(object.object_marking_refs, [AMBER_STRICT], `${object.type} is AMBER+STRICT`);
  }
  assert.ok(result.objects.some((o) => o.id === AMBER_STRICT));
  assert.equal(
    new Set(result.objects.map((o) => o.id)).size,
    result.objects.length,
    "no duplicate ids",
  );
  assert.equal(messageOf(result, 12), MESSAGES.collected(12));
});

Deno.test("ET: a domain is looked up with 3 calls; an IPv6 item is skipped, the IPv4 kept", async () => {
  await using fake = startFakeProofpointEt();
  const { enrich } = setup(fake, { import_reputation_score: false });
  const entity = observable("domain-name", "bad.example.org");
  const result = await enrich("Domain-Name", entity);
  assert.equal(fake.requests.length, 3);
  const domain = result.objects.find((o) => o.id === entity.id)!;
  assert.deepEqual(domain.x_opencti_labels, ["Phishing"]);
  assert.equal(domain.x_opencti_score, undefined, "score import switched off");
  const ip = result.objects.find((o) => o.type === "ipv4-addr")!;
  assert.equal(ip.id, "ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4");
  assert.ok(relation(result, "resolves-to", entity.id, ip.id));
  assert.ok(!result.objects.some((o) => o.type === "ipv6-addr"));
  assert.ok(
    relation(
      result,
      "communicates-with",
      scoId("file", { hashes: { MD5: "0123456789abcdef0123456789abcdef" } }),
      entity.id,
    ),
  );
});

Deno.test("ET: a file is looked up by MD5 and re-emitted with its SHA-256 and size", async () => {
  await using fake = startFakeProofpointEt();
  const { enrich } = setup(fake);
  const md5 = "0123456789ABCDEF0123456789ABCDEF";
  const stix = {
    type: "file",
    id: scoId("file", { hashes: { MD5: md5.toLowerCase() } }),
    hashes: { MD5: md5 },
  };
  const result = await enrich("StixFile", stix);
  assert.deepEqual(fake.requests.map((r) => r.path), [
    "/v1/samples/0123456789abcdef0123456789abcdef",
  ]);
  const file = result.objects.find((o) => o.type === "file")!;
  assert.equal(file.id, stix.id);
  assert.deepEqual(file.hashes, {
    MD5: "0123456789abcdef0123456789abcdef",
    "SHA-256": "ab01cd23ef45ab01cd23ef45ab01cd23ef45ab01cd23ef45ab01cd23ef45ab01",
  });
  assert.equal(file.size, 1024);
  assert.equal(messageOf(result), MESSAGES.fileDone);
  await assert.rejects(
    enrich("StixFile", { type: "file", id: "file--x", hashes: { "SHA-256": "ab" } }),
    /looks files up by MD5/,
  );
});

Deno.test("ET: IPv6 uses the ips endpoints and a 4xx answer is no data", async () => {
  await using fake = startFakeProofpointEt();
  const { enrich } = setup(fake);
  fake.respond(/^\/v1\/ips\/2001/, 400, { success: false, message: "invalid ip" });
  const result = await enrich("IPv6-Addr", observable("ipv6-addr", "2001:db8::1"));
  assert.equal(fake.requests.length, 5);
  assert.equal(result.outcome, "no_data");
  assert.equal(messageOf(result), MESSAGES.nothingNew);
});

Deno.test("ET: empty answers and 404s mean no new information", async () => {
  await using fake = startFakeProofpointEt();
  const { enrich } = setup(fake);
  fake.respond(
    /reputation|domains|samples|geoloc/,
    200,
    readFixture("proofpoint_et", "empty_list"),
  );
  fake.respond(/asn/, 404, { success: false, message: "not found" });
  const result = await enrich("IPv4-Addr", observable("ipv4-addr", "203.0.113.99"));
  assert.equal(result.outcome, "no_data");
  assert.deepEqual(result.objects, []);
  assert.equal(messageOf(result), MESSAGES.nothingNew);
  fake.reset();
  fake.respond(/samples/, 200, readFixture("proofpoint_et", "empty_object"));
  const file = await enrich("StixFile", {
    type: "file",
    id: "file--1",
    hashes: { MD5: "ffffffffffffffffffffffffffffffff" },
  });
  assert.equal(file.outcome, "no_data");
});

Deno.test("ET: a rejected key ends the work in error with a clear message", async () => {
  await using fake = startFakeProofpointEt();
  const { enrich, captured } = setup(fake, { api_key: "wrong-et-key-99" });
  const error = await vendorFailure(
    enrich("IPv4-Addr", observable("ipv4-addr", "198.51.100.7")),
    "auth",
  );
  assert.match(error.message, /ET Intelligence rejected the API key/);
  assert.ok(captured.lines.every((line) => !line.includes("wrong-et-key-99")));
});

Deno.test("ET: 429 is retried and then succeeds", async () => {
  await using fake = startFakeProofpointEt();
  const { enrich } = setup(fake);
  fake.failNext(2, 429, { "retry-after": "0" });
  const result = await enrich("Domain-Name", observable("domain-name", "bad.example.org"));
  assert.equal(result.outcome, "enriched");
  assert.equal(fake.requests.length, 5);
});

Deno.test("ET: when every call fails for a non-404 reason, the enrichment fails", async () => {
  await using fake = startFakeProofpointEt();
  const { enrich } = setup(fake, { max_retries: 0 });
  fake.respond(/./, 503, readFixture("proofpoint_et", "rate_limited"));
  const error = await vendorFailure(
    enrich("Domain-Name", observable("domain-name", "bad.example.org")),
    "server",
  );
  assert.match(error.message, /All 3 ProofPoint ET Intelligence calls failed/);
});

Deno.test("ET: one failing call does not lose the others", async () => {
  await using fake = startFakeProofpointEt();
  const { enrich } = setup(fake, { max_retries: 0 });
  fake.respond(/geoloc/, 500, {});
  const result = await enrich("IPv4-Addr", observable("ipv4-addr", "198.51.100.7"));
  assert.equal(result.outcome, "enriched");
  assert.ok(!result.objects.some((o) => o.type === "location"));
  assert.ok(result.objects.some((o) => o.type === "autonomous-system"));
});

Deno.test("ET: the base URL works with or without its trailing slash", async () => {
  await using fake = startFakeProofpointEt();
  for (const base of [fake.url, fake.url.replace(/\/$/, "")]) {
    const { enrich } = setup(fake, { api_base_url: base });
    assert.equal(
      (await enrich("Domain-Name", observable("domain-name", "bad.example.org"))).outcome,
      "enriched",
    );
  }
});

Deno.test("ET: country names come from the ISO code when the payload has none", () => {
  assert.equal(countryName("fr"), "France");
  assert.equal(countryName(" xk "), "Kosovo");
  for (const code of ["EU", "AP", "A1", "A2", "ZZ", "QO", "UN", "", "FRA"]) {
    assert.equal(countryName(code), undefined, code);
  }
});

Deno.test("ET: every ISO 3166-1 code keeps the country name and Location id it had before", () => {
  const rows = JSON.parse(
    Deno.readTextFileSync(
      new URL("../fixtures/proofpoint_et/country_locations.json", import.meta.url),
    ),
  ) as Array<{ code: string; name: string; location_id: string }>;
  assert.equal(rows.length, 250, "the 249 ISO 3166-1 codes and XK");
  const changed = rows.filter((row) => {
    const name = countryName(row.code);
    return name !== row.name ||
      countryLocation({ name, country: row.code }).id !== row.location_id;
  });
  assert.deepEqual(changed.map((row) => `${row.code}: ${countryName(row.code)}`), []);
});

Deno.test("ET: probe() proves the key with one cheap request", async () => {
  await using fake = startFakeProofpointEt();
  await setup(fake).enricher.probe();
  assert.deepEqual(fake.requests.map((r) => r.path), ["/v1/repcategories"]);
  const error = await setup(fake, { api_key: "nope-nope" }).enricher.probe().catch((e) => e);
  assert.equal(error.kind, "auth");
});
