/**
 * What each vendor module hands the shared HTTP client: the program's
 * redactor, the answer cap named after the vendor's setting, the answer
 * cache with its hook into the enrichment, and the rate-limit store under
 * the vendor's registry name.
 */
import assert from "node:assert/strict";
import { VendorError } from "../../lib/errors/mod.ts";
import { SecretRedactor } from "../../lib/log/mod.ts";
import { scoId } from "../../lib/stix/mod.ts";
import type { VendorModule } from "../../lib/vendors/mod.ts";
import { PROOFPOINT_ET_VENDOR } from "../../lib/vendors/proofpoint_et/mod.ts";
import { SILENTPUSH_VENDOR } from "../../lib/vendors/silentpush/mod.ts";
import type { FakeVendorServer } from "../fake_vendors/fake_server.ts";
import { startFakeProofpointEt } from "../fake_vendors/proofpoint_et.ts";
import { startFakeSilentPush } from "../fake_vendors/silentpush.ts";
import { mapStore, recordingContext, testEnricher } from "./_context.ts";

function enricher(
  vendor: VendorModule,
  fake: FakeVendorServer,
  settings: Record<string, unknown>,
  deps: { store?: ReturnType<typeof mapStore>; redactor?: SecretRedactor } = {},
) {
  const recording = recordingContext();
  const { enrich } = testEnricher(vendor, recording, {
    api_base_url: fake.url,
    api_key: fake.apiKey,
    max_retries: 0,
    ...settings,
  }, deps);
  const ipv4 = (value: string) =>
    enrich("IPv4-Addr", { type: "ipv4-addr", id: scoId("ipv4-addr", { value }), value });
  return { ipv4, recording };
}

Deno.test("a repeated question is answered from the cache, and the enrichment is told so", async (t) => {
  await t.step("Silent Push", async () => {
    await using fake = startFakeSilentPush();
    const { ipv4, recording } = enricher(SILENTPUSH_VENDOR, fake, { cache_ttl: 3600 }, {
      store: mapStore(),
    });
    await ipv4("198.51.100.7");
    assert.equal(recording.cacheHits.count, 0);
    const again = await ipv4("198.51.100.7");
    assert.equal(again.outcome, "enriched");
    assert.equal(fake.requests.length, 1, "the second enrichment asked nothing");
    assert.equal(recording.cacheHits.count, 1);
  });
  await t.step("ET Intelligence", async () => {
    await using fake = startFakeProofpointEt();
    const { ipv4, recording } = enricher(PROOFPOINT_ET_VENDOR, fake, { cache_ttl: 3600 }, {
      store: mapStore(),
    });
    await ipv4("198.51.100.7");
    await ipv4("198.51.100.7");
    assert.equal(fake.requests.length, 5);
    assert.equal(recording.cacheHits.count, 5, "one per lookup");
  });
});

Deno.test("an answer larger than max_response_mb fails and names the vendor's setting", async (t) => {
  const big = { ip2asn: [{ asname: "x".repeat(2 * 1024 * 1024) }] };
  await t.step("Silent Push", async () => {
    await using fake = startFakeSilentPush();
    fake.respond(/enrich/, 200, big);
    const { ipv4 } = enricher(SILENTPUSH_VENDOR, fake, { max_response_mb: 1 });
    const error = await ipv4("198.51.100.7").catch((e) => e);
    assert.ok(error instanceof VendorError);
    assert.match(error.message, /SILENTPUSH_MAX_RESPONSE_MB/);
  });
  await t.step("ET Intelligence", async () => {
    await using fake = startFakeProofpointEt();
    fake.respond(/reputation/, 200, { success: true, response: [big] });
    const { ipv4, recording } = enricher(PROOFPOINT_ET_VENDOR, fake, { max_response_mb: 1 });
    await ipv4("198.51.100.7");
    assert.ok(
      recording.captured.lines.some((line) =>
        line.includes("PROOFPOINT_ET_INTELLIGENCE_MAX_RESPONSE_MB")
      ),
      "the failed lookup is logged with the setting",
    );
  });
});

Deno.test("the rate-limit budget and errors carry the vendor's one registry name", async () => {
  await using fake = startFakeProofpointEt();
  const store = mapStore();
  const { ipv4 } = enricher(
    PROOFPOINT_ET_VENDOR,
    fake,
    { rate_limit: 200, api_key: "bad-key-42" },
    {
      store,
    },
  );
  const error = await ipv4("198.51.100.7").catch((e) => e);
  assert.ok(error instanceof VendorError);
  assert.equal(error.vendor, "proofpoint-et");
  assert.ok(store.budgets.length > 0 && store.budgets.every((b) => b.startsWith("proofpoint-et")));
});

Deno.test("errors are masked with the program's redactor", async () => {
  await using fake = startFakeSilentPush();
  const redactor = new SecretRedactor();
  redactor.add(fake.apiKey, "platform-token-0123456789");
  fake.respond(/enrich/, 500, { detail: "upstream saw token platform-token-0123456789" });
  const { ipv4 } = enricher(SILENTPUSH_VENDOR, fake, {}, { redactor });
  const error = await ipv4("198.51.100.7").catch((e) => e);
  assert.ok(error instanceof VendorError);
  assert.doesNotMatch(error.message, /platform-token-0123456789/);
});
