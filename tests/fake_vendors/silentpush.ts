/**
 * A fake Silent Push v2 API for tests, the sandbox and the benchmark: it
 * checks `x-api-key`, serves the fixture of `tests/fixtures/silentpush/` that
 * belongs to a known value, and a realistic generated answer for any other.
 *
 * @module
 */

import type { FakeVendorServer, FakeVendorStartOptions } from "./fake_server.ts";
import { fixtureReader, hashOf, startFakeVendor } from "./fake_server.ts";

/** The values that have a fixture, and the fixture they get. */
export const SILENTPUSH_FIXTURE_VALUES = {
  ipv4: {
    "198.51.100.7": "ipv4_full_with_scan_data",
    "192.0.2.1": "ipv4_every_flag_raised",
    "192.0.2.2": "ipv4_null_sub_objects",
    "192.0.2.3": "ipv4_unknown_empty",
    "192.0.2.4": "ipv4_malformed",
    "192.0.2.5": "error_in_body",
  },
  ipv6: { "2001:db8::7": "ipv6_basic" },
  domain: {
    "example-threat.com": "domain_every_flag_raised",
    "legacy-ns.example": "domain_nschanges_at_top_level",
  },
  diversity: { "example-threat.com": "domain_ip_diversity" },
} as const;

/** Options of {@link startFakeSilentPush}. */
export type FakeSilentPushOptions = FakeVendorStartOptions;

/** Starts the fake; `url` is the API base URL (ending in `/api/v2/`). */
export function startFakeSilentPush(options: FakeSilentPushOptions = {}): FakeVendorServer {
  const fixture = fixtureReader("silentpush");
  return startFakeVendor({
    defaultApiKey: "fake-silentpush-key",
    keyHeader: "x-api-key",
    basePath: "/api/v2/",
    answer(path) {
      const match = /^enrich\/(ipv4|ipv6|domain)\/([^/]+)\/(enrich|ip-diversity)\/$/.exec(path);
      if (!match) return undefined;
      const [, kind, value, call] = match as unknown as [
        string,
        "ipv4" | "ipv6" | "domain",
        string,
        string,
      ];
      if (call === "ip-diversity") {
        if (kind !== "domain") return undefined;
        const name = (SILENTPUSH_FIXTURE_VALUES.diversity as Record<string, string>)[value];
        return { status: 200, body: name ? fixture(name) : generatedDiversity(value) };
      }
      const name = (SILENTPUSH_FIXTURE_VALUES[kind] as Record<string, string>)[value];
      if (name) return { status: 200, body: fixture(name) };
      return { status: 200, body: kind === "domain" ? generatedDomain(value) : generatedIp(value) };
    },
  }, options);
}

function generatedIp(ip: string) {
  const hash = hashOf(ip);
  const v4 = !ip.includes(":");
  return {
    ip2asn: [{
      ip,
      asn: 64496 + (hash % 16),
      asname: `EXAMPLE-AS-${hash % 16}`,
      asn_reputation_score: hash % 50,
      sp_risk_score: hash % 101,
      subnet: v4 ? `${ip.split(".").slice(0, 3).join(".")}.0/24` : "2001:db8::/32",
      subnet_reputation_score: hash % 30,
      ip_ptr: `host-${hash % 1000}.example.net`,
      ip_location: { country_name: ["France", "Germany", "Japan", "Brazil"][hash % 4] },
      ip_flags: { is_proxy: hash % 5 === 0, is_vpn: hash % 7 === 0 },
      ip_is_tor_exit_node: hash % 11 === 0,
    }],
  };
}

function generatedDomain(domain: string) {
  const hash = hashOf(domain);
  return {
    sp_risk_score: hash % 101,
    domaininfo: { domain, registrar: `Registrar ${hash % 5}`, is_new: hash % 3 === 0 },
    ns_reputation: {
      is_parked: false,
      ns_srv_reputation: [{
        domain: "example-dns.net",
        ns_server: `ns${hash % 4}.example-dns.net`,
      }],
    },
  };
}

function generatedDiversity(domain: string) {
  const hash = hashOf(domain);
  return {
    records: [{
      host: `www.${domain}`,
      asn_timelines: [{ ip: `203.0.113.${hash % 250}`, asn: 64520, asn_name: "EXAMPLE-HOSTING" }],
    }],
  };
}
