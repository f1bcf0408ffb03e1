/**
 * Entity values an adversary (or anyone holding the broker credentials) can
 * put in an enrichment message: none of them may reach a vendor API, and the
 * enrichment ends with a clear MessageError that quotes the value safely.
 */
import assert from "node:assert/strict";
import { MessageError } from "../../lib/errors/mod.ts";
import { InvalidValueError } from "../../lib/vendors/mod.ts";
import { PROOFPOINT_ET_VENDOR } from "../../lib/vendors/proofpoint_et/mod.ts";
import { SILENTPUSH_VENDOR } from "../../lib/vendors/silentpush/mod.ts";
import type { FakeVendorServer } from "../fake_vendors/fake_server.ts";
import { startFakeProofpointEt } from "../fake_vendors/proofpoint_et.ts";
import { startFakeSilentPush } from "../fake_vendors/silentpush.ts";
import { recordingContext, testEnricher } from "./_context.ts";

const HUGE = "9".repeat(100 * 1024);
const COMMON: Array<[string, string]> = [
  ["IPv4-Addr", "not-an-ip"],
  ["IPv4-Addr", "999.999.999.999"],
  ["IPv4-Addr", HUGE],
  ["IPv4-Addr", "1.2.3.4\r\nX-Injected: 1"],
  ["IPv4-Addr", ".."],
  ["IPv4-Addr", "."],
  ["IPv4-Addr", "01.2.3.4"],
  ["IPv6-Addr", ".."],
  ["IPv6-Addr", "2001:db8::1::2"],
  ["IPv6-Addr", "fe80::1%eth0"],
  ["Domain-Name", ".."],
  ["Domain-Name", "."],
  ["Domain-Name", "<script>alert(1)</script>.example"],
  ["Domain-Name", "evil.example\r\nHost: attacker.example"],
  ["Domain-Name", `${"a".repeat(100 * 1024)}.com`],
];

function enricherFor(
  vendor: typeof SILENTPUSH_VENDOR,
  fake: FakeVendorServer,
): (entityType: string, stix: Record<string, unknown>) => Promise<unknown> {
  return testEnricher(vendor, recordingContext(), {
    api_base_url: fake.url,
    api_key: fake.apiKey,
    max_retries: 0,
  }).enrich;
}

async function assertRefused(
  fake: FakeVendorServer,
  attempt: Promise<unknown>,
  label: string,
): Promise<void> {
  const error = await attempt.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof MessageError, `${label}: a MessageError, got ${error}`);
  assert.ok(error.message.length < 300, `${label}: a short message (${error.message.length})`);
  assert.doesNotMatch(error.message, /\p{Cc}/u, `${label}: control characters escaped`);
  assert.match(error.message, /no value|Cannot enrich|looks files up by MD5/, label);
  assert.deepEqual(fake.requests, [], `${label}: no request was made`);
}

function entity(type: string, value: string): Record<string, unknown> {
  return { type: type.toLowerCase(), id: `${type.toLowerCase()}--x`, value };
}

Deno.test("Silent Push sends no request for a hostile or malformed value and says what is wrong", async () => {
  await using fake = startFakeSilentPush();
  const enrich = enricherFor(SILENTPUSH_VENDOR, fake);
  const cases: Array<[string, string]> = [
    ...COMMON,
    ["IPv4-Addr", "1.2.3.4/33"],
    ["Hostname", "mail.example.org\r\nX: y"],
    ["Hostname", "<script>"],
    ["Hostname", ".."],
    ["Url", "javascript:alert(1)"],
    ["Url", "http://999.999.999.999/payload"],
    ["Url", "ftp://example.com/x"],
    ["Url", "http://<script>/"],
  ];
  for (const [type, value] of cases) {
    await assertRefused(fake, enrich(type, entity(type, value)), `${type} ${value.slice(0, 40)}`);
  }
});

Deno.test("Silent Push: an indicator whose observables are all invalid fails without a request", async () => {
  await using fake = startFakeSilentPush();
  const enrich = enricherFor(SILENTPUSH_VENDOR, fake);
  const pattern = "[ipv4-addr:value = '..'] OR [domain-name:value = '<b>x</b>']";
  await assertRefused(
    fake,
    enrich("Indicator", { type: "indicator", id: "indicator--x", name: "i", pattern }),
    "indicator",
  );
});

Deno.test("Silent Push: a value error names the value, quoted and cut at 64 characters", async () => {
  await using fake = startFakeSilentPush();
  const enrich = enricherFor(SILENTPUSH_VENDOR, fake);
  const error = await enrich("IPv4-Addr", entity("IPv4-Addr", HUGE)).catch((e) => e);
  assert.ok(error instanceof InvalidValueError);
  assert.equal(
    error.message,
    `Cannot enrich IPv4-Addr "${
      "9".repeat(64)
    }…" (102400 characters): it is 102400 characters, more than the 2048 allowed (CONNECTOR_MAX_VALUE_LENGTH)`,
  );
  const crlf = await enrich("Hostname", entity("Hostname", "a.example\r\nb")).catch((e) => e);
  assert.ok(crlf instanceof InvalidValueError);
  assert.equal(
    crlf.message,
    'Cannot enrich Hostname "a.example\\r\\nb": it holds control characters',
  );
});

Deno.test("ET Intelligence sends no request for a hostile or malformed value and says what is wrong", async () => {
  await using fake = startFakeProofpointEt();
  const enrich = enricherFor(PROOFPOINT_ET_VENDOR, fake);
  const cases: Array<[string, string]> = [...COMMON, ["IPv4-Addr", "203.0.113.0/24"]];
  for (const [type, value] of cases) {
    await assertRefused(fake, enrich(type, entity(type, value)), `${type} ${value.slice(0, 40)}`);
  }
  for (const md5 of ["..", "../../samples", "0123456789abcdef0123456789abcdeg", HUGE]) {
    await assertRefused(
      fake,
      enrich("StixFile", { type: "file", id: "file--x", hashes: { MD5: md5 } }),
      `MD5 ${md5.slice(0, 40)}`,
    );
  }
});

Deno.test("a valid value still goes into the path as one encoded segment", async () => {
  await using fake = startFakeSilentPush();
  const enrich = enricherFor(SILENTPUSH_VENDOR, fake);
  await enrich("IPv6-Addr", entity("IPv6-Addr", "2001:db8::7"));
  assert.deepEqual(fake.requests.map((r) => r.rawPath), [
    "/api/v2/enrich/ipv6/2001%3Adb8%3A%3A7/enrich/",
  ]);
});
