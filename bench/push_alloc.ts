/**
 * Bytes allocated on the V8 heap and time spent turning one enrichment's
 * STIX objects into the AMQP bodies the connector publishes (bundle and pycti
 * split; push envelopes, the first way and the current one), on a real ET
 * Intelligence result from the fake API: the part of the per-message
 * garbage the connector's own code decides.
 *
 *   deno run -A bench/push_alloc.ts [ROUNDS]
 *
 * @module
 */

import v8 from "node:v8";
import { DEFAULT_ENRICHMENT_LIMITS } from "../lib/config/mod.ts";
import * as pushMessage from "../lib/connector/push_message.ts";
import { createLogger } from "../lib/log/mod.ts";
import { createBundle, scoId, splitBundle, type StixObject } from "../lib/stix/mod.ts";
import { PROOFPOINT_ET_VENDOR } from "../lib/vendors/proofpoint_et/mod.ts";
import { startFakeProofpointEt } from "../tests/fake_vendors/proofpoint_et.ts";

const rounds = Number(Deno.args[0] ?? 2000);
const logger = createLogger({ name: "push-alloc", level: "error", json: true });
const fake = startFakeProofpointEt({ record: false });
let objects: StixObject[];
try {
  const enricher = PROOFPOINT_ET_VENDOR.create({
    api_base_url: fake.url,
    api_key: fake.apiKey,
    max_tlp: "TLP:AMBER+STRICT",
    import_last_seen_time_window: "P30D",
    import_reputation_score: true,
    rate_limit: 0,
    timeout: 5,
    max_retries: 0,
  }, { logger, connectorName: "ProofPoint ET Intelligence", userAgent: "bench" });
  const value = "10.1.2.3";
  const stix = { type: "ipv4-addr", id: scoId("ipv4-addr", { value }), spec_version: "2.1", value };
  const result = await enricher.enrich(
    { entityType: "IPv4-Addr", standardId: stix.id, stix: stix as unknown as StixObject },
    {
      signal: new AbortController().signal,
      logger,
      now: new Date(),
      limits: DEFAULT_ENRICHMENT_LIMITS,
      report: () => {},
      answeredFromCache: () => {},
      labels: { ensure: (label) => Promise.resolve(label) },
    },
  );
  objects = [stix as unknown as StixObject, ...result.objects];
} finally {
  await fake.close();
}

const context = { applicantId: "user--1", workId: "work--1", draftId: null };
const encoder = new TextEncoder();
const { bundles } = splitBundle(createBundle(objects));
const steps: Record<string, () => unknown> = {
  split: () => splitBundle(createBundle(objects)),
  // The envelope object JSON-stringified, then encoded by the AMQP client: what was published first.
  envelopeJsonThenEncode: () =>
    bundles.map((bundle, index) =>
      encoder.encode(JSON.stringify(pushMessage.buildPushMessage(bundle, index + 1, context)))
    ),
  encodePushMessage: () =>
    bundles.map((bundle, index) => pushMessage.encodePushMessage(bundle, index + 1, context)),
};
const bodyBytes = steps.encodePushMessage!() as Uint8Array[];
/** Bytes V8 allocated so far (a field Deno's node:v8 returns but its typings omit). */
const allocatedSoFar = () =>
  (v8.getHeapStatistics() as unknown as { total_allocated_bytes: number }).total_allocated_bytes;
const figures: Record<string, { v8AllocatedKb: number; microseconds: number }> = {};
for (const [name, step] of Object.entries(steps)) {
  for (let i = 0; i < 200; i++) step();
  const allocatedBefore = allocatedSoFar();
  const started = performance.now();
  for (let i = 0; i < rounds; i++) step();
  figures[name] = {
    v8AllocatedKb: Math.round((allocatedSoFar() - allocatedBefore) / rounds / 102.4) / 10,
    microseconds: Math.round(((performance.now() - started) / rounds) * 1000),
  };
}
// deno-lint-ignore no-console
console.log(JSON.stringify({
  objects: objects.length,
  bundles: bundles.length,
  bodyBytesPerEnrichment: bodyBytes.reduce((sum, body) => sum + body.byteLength, 0),
  perEnrichment: figures,
}));
