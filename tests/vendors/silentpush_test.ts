import assert from "node:assert/strict";
import type { EnrichmentLimits } from "../../lib/config/mod.ts";
import {
  identityId,
  indicatorId,
  relationshipId,
  scoId,
  type StixObject,
} from "../../lib/stix/mod.ts";
import type { EnrichmentResult } from "../../lib/vendors/mod.ts";
import { SILENTPUSH_VENDOR } from "../../lib/vendors/silentpush/mod.ts";
import { startFakeSilentPush } from "../fake_vendors/silentpush.ts";
import { enricherOnFake, observable, relation, vendorFailure } from "./_context.ts";

const AUTHOR_ID = "identity--d49f2c8f-c03d-5064-8265-7790080f4a4a";
const OCTI_EXTENSION = "extension-definition--ea279b3e-5c71-4632-ac08-831c66a786ba";

type Fake = ReturnType<typeof startFakeSilentPush>;

function setup(
  fake: Fake,
  overrides: Record<string, unknown> = {},
  options: { limits?: Partial<EnrichmentLimits> } = {},
) {
  return enricherOnFake(SILENTPUSH_VENDOR, fake, overrides, options);
}

/** Enriches one observable of `entityType` (its STIX type the name in lower case), default settings. */
async function enrichObservable(fake: Fake, entityType: string, value: string) {
  const { enrich, labels } = setup(fake);
  const entity = observable(entityType.toLowerCase(), value);
  return { entity, result: await enrich(entityType, entity), labels };
}

function byType(result: EnrichmentResult, type: string): StixObject[] {
  return result.objects.filter((object) => object.type === type);
}

Deno.test("Silent Push: an IPv4 answer maps to score, labels, country, ASN, subnet, PTR, certificates and favicons", async () => {
  await using fake = startFakeSilentPush();
  const { entity, result, labels } = await enrichObservable(fake, "IPv4-Addr", "198.51.100.7");
  assert.equal(result.outcome, "enriched");
  assert.deepEqual(fake.requests.map((r) => r.path), ["/api/v2/enrich/ipv4/198.51.100.7/enrich/"]);

  const ip = result.objects.find((object) => object.id === entity.id)!;
  assert.equal(ip.x_opencti_score, 87);
  assert.deepEqual(ip.x_opencti_labels, [
    "is_proxy",
    "ip_has_expired_certificate",
    "ip_is_tor_exit_node",
  ]);
  assert.deepEqual(labels, [["is_proxy", "#af4c68"], ["ip_has_expired_certificate", "#e09109"], [
    "ip_is_tor_exit_node",
    "#c795cc",
  ]]);
  assert.equal(ip.x_opencti_created_by_ref, AUTHOR_ID);

  const [country] = byType(result, "location");
  assert.equal(country!.name, "France");
  assert.equal(country!.x_opencti_location_type, "Country");
  assert.equal(country!.created_by_ref, AUTHOR_ID);
  assert.equal(relation(result, "related-to", ip.id, country!.id)?.description, "France");

  const [system] = byType(result, "autonomous-system");
  assert.equal(system!.id, scoId("autonomous-system", { number: 64500 }));
  assert.equal(system!.name, "EXAMPLE-NET, FR");
  assert.equal(system!.x_opencti_score, 35);
  const asnLink = relation(result, "belongs-to", ip.id, system!.id)!;
  assert.equal(
    asnLink.id,
    relationshipId({ relationshipType: "belongs-to", sourceRef: ip.id, targetRef: system!.id }),
  );

  const subnet = result.objects.find((object) => object.value === "198.51.100.0/24")!;
  assert.equal(subnet.type, "ipv4-addr");
  assert.equal(subnet.x_opencti_score, 12);
  assert.equal(relation(result, "related-to", ip.id, subnet.id)?.description, "Subnet");
  const ptr = byType(result, "hostname")[0]!;
  assert.equal(ptr.value, "host7.example.net");
  assert.equal(relation(result, "related-to", ip.id, ptr.id)?.description, "PTR");

  // Naive timestamps are UTC; missing serial or fingerprint is tolerated; junk is skipped.
  const certificates = byType(result, "x509-certificate");
  assert.equal(certificates.length, 3);
  const full = certificates.find((c) => c.serial_number === "0a1b2c3d4e5f")!;
  assert.deepEqual(full.hashes, { "SHA-1": "27f2df0c9f3e5a1b2c3d4e5f60718293a4b5c6d7" });
  assert.equal(full.validity_not_before, "2022-06-22T00:00:00.000Z");
  assert.equal(full.issuer, "Example CA");
  assert.equal(full.signature_algorithm, undefined, "no made-up algorithm");
  assert.ok(certificates.some((c) => c.serial_number === undefined && c.issuer === "No Serial CA"));
  const noSha = certificates.find((c) => c.serial_number === "99")!;
  assert.equal(noSha.hashes, undefined);
  assert.equal(noSha.validity_not_before, undefined);

  // Favicons: an MD5 becomes a hash; an integer mmh3 and a path only a name.
  const favicons = byType(result, "file");
  assert.deepEqual(favicons.map((f) => f.name).sort(), [
    "favicon2_path: /static/favicon.ico",
    "favicon_md5: 1cb8e1b2c3d4e5f60718293a4b5c6d7e",
    "favicon_mmh3: -699551598",
  ]);
  assert.deepEqual(favicons.find((f) => String(f.name).startsWith("favicon_md5"))!.hashes, {
    MD5: "1cb8e1b2c3d4e5f60718293a4b5c6d7e",
  });
  assert.ok(
    favicons.every((f) => relation(result, "related-to", ip.id, f.id)?.description === "Favicon"),
  );

  const author = result.objects.find((object) => object.id === AUTHOR_ID)!;
  assert.equal(author.id, identityId("Silent Push", "organization"));
  assert.equal(author.contact_information, "help@silentpush.com");
  assert.equal((author.external_references as unknown[]).length, 3);
  const message = typeof result.message === "function"
    ? result.message({ pushed: 5 })
    : result.message;
  assert.match(message, /Silent Push enriched IPv4-Addr "198\.51\.100\.7"/);
});

Deno.test("Silent Push: every IP flag becomes its label with the reference colour", async () => {
  await using fake = startFakeSilentPush();
  const { enrich, labels } = setup(fake);
  await enrich("IPv4-Addr", observable("ipv4-addr", "192.0.2.1"));
  assert.deepEqual(labels, [
    ["known_benign", "#4caf50"],
    ["is_proxy", "#af4c68"],
    ["is_sinkhole", "#a1713a"],
    ["is_vpn", "#782b2e"],
    ["ip_has_expired_certificate", "#e09109"],
    ["ip_has_open_directory", "#4f96bd"],
    ["ip_is_dsl_dynamic", "#841a99"],
    ["ip_is_ipfs_node", "#070354"],
    ["ip_is_tor_exit_node", "#c795cc"],
    ["known_sinkhole_ip", "#c75f98"],
  ]);
});

Deno.test("Silent Push: null sub-objects, a zero ASN and a subnet equal to the IP add nothing but the IP", async () => {
  await using fake = startFakeSilentPush();
  const { entity, result } = await enrichObservable(fake, "IPv4-Addr", "192.0.2.2");
  assert.equal(result.outcome, "enriched");
  assert.deepEqual(result.objects.map((o) => o.id).sort(), [AUTHOR_ID, entity.id].sort());
  assert.equal(result.objects.find((o) => o.id === entity.id)!.x_opencti_score, undefined);
});

Deno.test("Silent Push: a CIDR is queried by its address and re-emitted unchanged", async () => {
  await using fake = startFakeSilentPush();
  const { entity, result } = await enrichObservable(fake, "IPv4-Addr", "198.51.100.7/32");
  assert.equal(fake.requests[0]!.path, "/api/v2/enrich/ipv4/198.51.100.7/enrich/");
  assert.ok(result.objects.some((o) => o.id === entity.id && o.value === "198.51.100.7/32"));
});

Deno.test("Silent Push: IPv6 uses the ipv6 endpoint and emits IPv6 objects", async () => {
  await using fake = startFakeSilentPush();
  const { entity, result } = await enrichObservable(fake, "IPv6-Addr", "2001:db8::7");
  assert.equal(fake.requests[0]!.path, "/api/v2/enrich/ipv6/2001:db8::7/enrich/");
  const subnet = result.objects.find((o) => o.value === "2001:db8::/32")!;
  assert.equal(subnet.type, "ipv6-addr");
  assert.deepEqual(result.objects.find((o) => o.id === entity.id)!.x_opencti_labels, ["is_vpn"]);
});

Deno.test("Silent Push: a domain is enriched and its diversity mapped (registrar, name servers, A records)", async () => {
  await using fake = startFakeSilentPush();
  const { entity, result, labels } = await enrichObservable(
    fake,
    "Domain-Name",
    "example-threat.com",
  );
  assert.deepEqual(fake.requests.map((r) => r.path).sort(), [
    "/api/v2/enrich/domain/example-threat.com/enrich/",
    "/api/v2/enrich/domain/example-threat.com/ip-diversity/",
  ]);
  const domain = result.objects.find((o) => o.id === entity.id)!;
  assert.equal(domain.x_opencti_score, 73);
  assert.equal(labels.length, 34, "every domain flag, nschanges read under results_summary");
  assert.deepEqual(labels.find(([name]) => name === "last_change_sinkhole_to"), [
    "last_change_sinkhole_to",
    "#782b2e",
  ]);
  const registrar = result.objects.find((o) =>
    o.type === "identity" && o.name === "Example Registrar, Inc."
  )!;
  assert.equal(registrar.identity_class, "organization");
  assert.equal(relation(result, "related-to", domain.id, registrar.id)?.description, "Registrar");
  // A name server whose apex domain is the enriched domain itself still yields the name server.
  const hosts = byType(result, "hostname").map((h) => h.value).sort();
  assert.deepEqual(hosts, [
    "kate.ns.cloudflare.com",
    "ns1.example-threat.com",
    "www.example-threat.com",
  ]);
  const apex = result.objects.find((o) =>
    o.type === "domain-name" && o.value === "cloudflare.com"
  )!;
  assert.equal(relation(result, "related-to", domain.id, apex.id)?.description, "Apex Domain");
  // A records: resolves-to from the domain; the AS belongs to the IP only (in STIX 2.1 an
  // ipv4-addr has belongs_to_refs to autonomous-system objects, a domain-name has none).
  const ips = byType(result, "ipv4-addr");
  assert.deepEqual(ips.map((ip) => ip.value).sort(), [
    "203.0.113.10",
    "203.0.113.11",
    "203.0.113.12",
  ]);
  for (const ip of ips) {
    assert.equal(relation(result, "resolves-to", domain.id, ip.id)?.description, "A Record");
  }
  const systems = byType(result, "autonomous-system");
  assert.deepEqual(systems.map((s) => s.number).sort(), [64510, 64511]);
  assert.ok(
    !result.objects.some((o) =>
      o.type === "relationship" && o.source_ref === domain.id &&
      String(o.target_ref).startsWith("autonomous-system")
    ),
  );
  assert.equal(byType(result, "x509-certificate").length, 1);
});

Deno.test("Silent Push: nschanges flags directly under nschanges are read too", async () => {
  await using fake = startFakeSilentPush();
  const { enrich, labels } = setup(fake);
  await enrich("Domain-Name", observable("domain-name", "legacy-ns.example"));
  assert.deepEqual(labels.map(([name]) => name), [
    "has_change_parked_to",
    "last_change_sinkhole_from",
  ]);
});

Deno.test("Silent Push: a Hostname is enriched like a domain and re-emitted as a hostname", async () => {
  await using fake = startFakeSilentPush();
  const { entity, result } = await enrichObservable(fake, "Hostname", "mail.example.org");
  const subject = result.objects.find((o) => o.id === entity.id)!;
  assert.equal(subject.type, "hostname");
  assert.ok(
    !result.objects.some((o) => o.type === "domain-name" && o.value === "mail.example.org"),
  );
});

Deno.test("Silent Push: a URL's host is enriched as IPv4, IPv6 or domain and linked to the URL", async () => {
  await using fake = startFakeSilentPush();
  const { enrich } = setup(fake);
  const cases: Array<[string, string, string, string]> = [
    ["http://198.51.100.7/payload.exe", "ipv4-addr", "198.51.100.7", "URL ipv4"],
    ["https://[2001:db8::7]:8443/x", "ipv6-addr", "2001:db8::7", "URL ipv6"],
    ["https://Example-Threat.com/login", "domain-name", "example-threat.com", "URL domain"],
  ];
  for (const [value, hostType, host, description] of cases) {
    const entity = observable("url", value);
    const result = await enrich("Url", entity);
    const hostId = scoId(hostType, { value: host });
    assert.ok(result.objects.some((o) => o.id === hostId), value);
    assert.equal(relation(result, "related-to", hostId, entity.id)?.description, description);
    assert.equal(result.objects.find((o) => o.id === entity.id)!.x_opencti_score, undefined);
  }
  await assert.rejects(
    enrich("Url", observable("url", "http://localhost/x")),
    /host "localhost" is neither an IP address nor a domain/,
  );
});

Deno.test("Silent Push: an indicator's observables come from the extension, the top-level field or the pattern", async () => {
  await using fake = startFakeSilentPush();
  const { enrich } = setup(fake);
  const pattern =
    "[ipv4-addr:value = '198.51.100.7'] OR [domain-name:value = 'example-threat.com']";
  const base = {
    type: "indicator",
    id: indicatorId(pattern),
    spec_version: "2.1",
    name: "x",
    pattern,
    pattern_type: "stix",
  };
  const sources: Array<Record<string, unknown>> = [
    {
      ...base,
      extensions: {
        [OCTI_EXTENSION]: {
          observable_values: [{ type: "IPv4-Addr", value: "198.51.100.7" }, {
            type: "Domain-Name",
            value: "example-threat.com",
          }],
        },
      },
    },
    {
      ...base,
      x_opencti_observable_values: [{ type: "IPv4-Addr", value: "198.51.100.7" }, {
        type: "Domain-Name",
        value: "example-threat.com",
      }],
    },
    base,
  ];
  for (const stix of sources) {
    const result = await enrich("Indicator", stix);
    assert.equal(result.outcome, "enriched");
    assert.ok(!result.objects.some((o) => o.id === base.id), "the indicator is not re-sent");
    const [observed] = byType(result, "observed-data");
    const refs = observed!.object_refs as string[];
    assert.deepEqual(refs, [...refs].sort(), "refs sorted");
    assert.ok(refs.includes(scoId("ipv4-addr", { value: "198.51.100.7" })));
    assert.ok(refs.includes(scoId("domain-name", { value: "example-threat.com" })));
    assert.equal(
      relation(result, "related-to", observed!.id, base.id)?.description,
      "Indicator observables",
    );
  }
  const again = await enrich("Indicator", sources[2]!);
  assert.equal(
    byType(again, "observed-data")[0]!.id,
    byType(await enrich("Indicator", sources[0]!), "observed-data")[0]!.id,
    "deterministic id",
  );
});

Deno.test("Silent Push: an indicator without supported observables is no data, without a request", async () => {
  await using fake = startFakeSilentPush();
  const { enrich } = setup(fake);
  const pattern = "[file:hashes.MD5 = '0123456789abcdef0123456789abcdef']";
  const result = await enrich("Indicator", {
    type: "indicator",
    id: indicatorId(pattern),
    pattern,
    name: "f",
  });
  assert.equal(result.outcome, "no_data");
  assert.equal(fake.requests.length, 0);
});

Deno.test("Silent Push: unknown values (404 or empty) are no data", async () => {
  await using fake = startFakeSilentPush();
  const { enrich } = setup(fake);
  const empty = await enrich("IPv4-Addr", observable("ipv4-addr", "192.0.2.3"));
  assert.equal(empty.outcome, "no_data");
  assert.deepEqual(empty.objects, []);
  fake.respond(/./, 404, { detail: "Not found" });
  const missing = await enrich("Domain-Name", observable("domain-name", "nothing.example"));
  assert.equal(missing.outcome, "no_data");
  assert.match(String(missing.message), /no information about Domain-Name "nothing\.example"/);
});

Deno.test("Silent Push: a rejected key is an auth error that names no key", async () => {
  await using fake = startFakeSilentPush();
  const { enrich, captured } = setup(fake, { api_key: "wrong-key-123456" });
  const error = await vendorFailure(
    enrich("IPv4-Addr", observable("ipv4-addr", "8.8.8.8")),
    "auth",
  );
  assert.equal(error.status, 401);
  assert.ok(!error.message.includes("wrong-key-123456"));
  assert.ok(captured.lines.every((line) => !line.includes("wrong-key-123456")));
});

Deno.test("Silent Push: 429 is retried, honouring Retry-After, then succeeds", async () => {
  await using fake = startFakeSilentPush();
  const { enrich } = setup(fake);
  fake.failNext(1, 429, { "retry-after": "0" });
  const result = await enrich("IPv4-Addr", observable("ipv4-addr", "198.51.100.7"));
  assert.equal(result.outcome, "enriched");
  assert.equal(fake.requests.length, 2);
});

Deno.test("Silent Push: a timeout is a timeout error", async () => {
  await using fake = startFakeSilentPush({ latencyMs: 1500 });
  const { enrich } = setup(fake, { timeout: 1, max_retries: 0 });
  await vendorFailure(enrich("IPv4-Addr", observable("ipv4-addr", "8.8.8.8")), "timeout");
});

Deno.test("Silent Push: a malformed answer or an error in the body fails clearly and returns nothing", async () => {
  await using fake = startFakeSilentPush();
  const { enrich } = setup(fake);
  const malformed = await vendorFailure(
    enrich("IPv4-Addr", observable("ipv4-addr", "192.0.2.4")),
    "invalid_response",
  );
  assert.match(malformed.message, /unexpected shape \(ip2asn/);
  const refused = await vendorFailure(enrich("IPv4-Addr", observable("ipv4-addr", "192.0.2.5")));
  assert.match(refused.message, /Daily query quota exceeded/);
});

Deno.test("Silent Push: probe() proves the key with one request", async () => {
  await using fake = startFakeSilentPush();
  await setup(fake).enricher.probe();
  assert.equal(fake.requests.length, 1);
  const error = await setup(fake, { api_key: "bad-key-0000" }).enricher.probe().catch((e) => e);
  assert.equal(error.kind, "auth");
});
