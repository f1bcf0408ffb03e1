/**
 * A fake ET Intelligence v1 API for tests, the sandbox and the benchmark: it
 * checks the raw `Authorization` key, serves the fixtures of
 * `tests/fixtures/proofpoint_et/` for the values that have one, and realistic
 * generated answers (dated today) for any other value.
 *
 * @module
 */

import type { FakeVendorServer, FakeVendorStartOptions } from "./fake_server.ts";
import { fixtureReader, hashOf, startFakeVendor } from "./fake_server.ts";

/** Values with fixtures. */
export const ET_FIXTURE_VALUES = {
  ip: "198.51.100.7",
  domain: "bad.example.org",
  md5: "0123456789abcdef0123456789abcdef",
} as const;

const IP_FIXTURES: Record<string, string> = {
  reputation: "ip_reputation_two_categories",
  domains: "ip_domains_around_window",
  samples: "ip_samples_mixed",
  geoloc: "ip_geoloc_countries",
  asn: "ip_asn",
};

const DOMAIN_FIXTURES: Record<string, string> = {
  reputation: "domain_reputation",
  ips: "domain_ips_with_ipv6",
  samples: "domain_samples",
};

/** Options of {@link startFakeProofpointEt}. */
export type FakeEtOptions = FakeVendorStartOptions;

/** Starts the fake; `url` is the API base URL (ending in `/v1/`). */
export function startFakeProofpointEt(options: FakeEtOptions = {}): FakeVendorServer {
  const read = fixtureReader("proofpoint_et");
  const fixture = (name: string) => ({ status: 200, body: read(name) });
  return startFakeVendor({
    defaultApiKey: "fake-et-key",
    keyHeader: "authorization",
    basePath: "/v1/",
    answer(path) {
      if (path === "repcategories") return fixture("repcategories");
      const [collection, value, sub] = path.split("/");
      if (!value) return undefined;
      if (collection === "ips" && sub) {
        if (value === ET_FIXTURE_VALUES.ip && IP_FIXTURES[sub]) return fixture(IP_FIXTURES[sub]);
        return generatedIp(value, sub);
      }
      if (collection === "domains" && sub) {
        if (value === ET_FIXTURE_VALUES.domain && DOMAIN_FIXTURES[sub]) {
          return fixture(DOMAIN_FIXTURES[sub]);
        }
        return generatedDomain(value, sub);
      }
      if (collection === "samples" && !sub) {
        if (value === ET_FIXTURE_VALUES.md5) return fixture("sample_details");
        return ok({
          md5sum: value.toLowerCase(),
          submit_date: "2026-01-01 00:00:00",
          file_size: 2048,
        });
      }
      return undefined;
    },
  }, options);
}

/** An ET Intelligence answer body: the `{success, response}` envelope around `response`. */
export function etAnswer(response: unknown): { success: true; response: unknown } {
  return { success: true, response };
}

function ok(response: unknown) {
  return { status: 200, body: etAnswer(response) };
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function md5Like(seed: number): string {
  return seed.toString(16).padStart(8, "0").repeat(4);
}

function generatedIp(ip: string, sub: string) {
  const hash = hashOf(ip);
  switch (sub) {
    case "reputation":
      return ok([{ category: ["CnC", "Bot", "Scanner", "Spam"][hash % 4], score: hash % 128 }]);
    case "domains":
      return ok([{
        domain: `d${hash % 1000}.example.com`,
        first_seen: today(),
        last_seen: today(),
      }]);
    case "samples":
      return ok([{ source: md5Like(hash), first_seen: today(), last_seen: today() }]);
    case "geoloc":
      return ok([{ ip, country_code: ["FR", "DE", "JP", "BR"][hash % 4] }]);
    case "asn":
      return ok({ asn: 64496 + (hash % 16), owner: `EXAMPLE-AS-${hash % 16}` });
    default:
      return undefined;
  }
}

function generatedDomain(domain: string, sub: string) {
  const hash = hashOf(domain);
  switch (sub) {
    case "reputation":
      return ok([{ category: "Phishing", score: hash % 128 }]);
    case "ips":
      return ok([{ ip: `203.0.113.${hash % 250}`, first_seen: today(), last_seen: today() }]);
    case "samples":
      return ok([{ source: md5Like(hash), first_seen: today(), last_seen: today() }]);
    default:
      return undefined;
  }
}
