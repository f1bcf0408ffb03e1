/**
 * What the vendor tests give an enricher: an enrichment context that records
 * the labels asked for, the notices reported and the cache hits, with a
 * logger that keeps its lines; a vendor section resolved with its defaults,
 * as the config loader would; and the enricher built from both.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  buildVendorSettings,
  DEFAULT_ENRICHMENT_LIMITS,
  type EnrichmentLimits,
} from "../../lib/config/mod.ts";
import { VendorError, type VendorErrorKind } from "../../lib/errors/mod.ts";
import { type CapturedLogger, captureLogger } from "../../lib/log/testing.ts";
import type { CachedAnswer, VendorStore } from "../../lib/http/mod.ts";
import { scoId, type StixObject } from "../../lib/stix/mod.ts";
import type {
  Enricher,
  EnrichmentContext,
  EnrichmentNotice,
  EnrichmentResult,
  VendorDeps,
  VendorModule,
} from "../../lib/vendors/mod.ts";

/** An enrichment context and what it saw. */
export interface RecordingContext {
  context: EnrichmentContext;
  /** `[value, color]` of every `labels.ensure` call. */
  labels: Array<[string, string]>;
  notices: EnrichmentNotice[];
  captured: CapturedLogger;
  /** Calls of `answeredFromCache`. */
  cacheHits: { count: number };
}

/** A context with the default limits (or `limits` over them); `ensure` echoes the value. */
export function recordingContext(
  options: { limits?: Partial<EnrichmentLimits>; now?: Date; captured?: CapturedLogger } = {},
): RecordingContext {
  const captured = options.captured ?? captureLogger();
  const labels: Array<[string, string]> = [];
  const notices: EnrichmentNotice[] = [];
  const cacheHits = { count: 0 };
  return {
    labels,
    notices,
    captured,
    cacheHits,
    context: {
      signal: new AbortController().signal,
      logger: captured.logger,
      now: options.now ?? new Date("2026-08-20T12:00:00.000Z"),
      limits: { ...DEFAULT_ENRICHMENT_LIMITS, ...options.limits },
      report: (notice) => void notices.push(notice),
      answeredFromCache: () => void cacheHits.count++,
      labels: {
        ensure(value, color) {
          labels.push([value, color]);
          return Promise.resolve(value);
        },
      },
    },
  };
}

/** The vendor's section as the loader resolves it from `values` (YAML keys), defaults filled in. */
export function vendorSettings(
  vendor: VendorModule,
  values: Record<string, unknown>,
): Record<string, unknown> {
  return buildVendorSettings(vendor, {
    yaml: { [vendor.section.name]: values },
    env: () => undefined,
  }).settings;
}

/** A vendor's enricher, and `enrich` running it on one entity in the recording context. */
export interface TestEnricher {
  enricher: Enricher;
  /** Enriches `stix` as `entityType`, its `id` being the standard id. */
  enrich(entityType: string, stix: Record<string, unknown>): Promise<EnrichmentResult>;
}

/**
 * `vendor`'s enricher built from `values` (its YAML keys, see {@link vendorSettings}),
 * logging to `recording`'s logger, named "Test" with a test user agent unless `deps` say otherwise.
 */
export function testEnricher(
  vendor: VendorModule,
  recording: RecordingContext,
  values: Record<string, unknown>,
  deps: Partial<VendorDeps> = {},
): TestEnricher {
  const enricher = vendor.create(vendorSettings(vendor, values), {
    logger: recording.captured.logger,
    connectorName: "Test",
    userAgent: "opencti-enrich/test",
    ...deps,
  });
  return {
    enricher,
    enrich: (entityType, stix) =>
      enricher.enrich(
        { entityType, standardId: String(stix.id), stix: stix as StixObject },
        recording.context,
      ),
  };
}

/** A fake vendor API: where it listens and the key it accepts. */
export interface FakeApi {
  url: string;
  apiKey: string;
}

/**
 * `vendor`'s enricher against `api` with the vendor tests' settings (5 s
 * timeout, 2 retries, no answer cache; `overrides` over them), named as the
 * vendor's reference connector, with its recording context.
 */
export function enricherOnFake(
  vendor: VendorModule,
  api: FakeApi,
  overrides: Record<string, unknown>,
  options: { limits?: Partial<EnrichmentLimits>; now?: Date } = {},
): RecordingContext & TestEnricher {
  const recording = recordingContext(options);
  const settings = {
    api_base_url: api.url.replace(/\/$/, ""),
    api_key: api.apiKey,
    timeout: 5,
    max_retries: 2,
    cache_ttl: 0,
    ...overrides,
  };
  return {
    ...recording,
    ...testEnricher(vendor, recording, settings, { connectorName: vendor.defaults.name }),
  };
}

/** An observable the way the platform sends it, with its standard id. */
export function observable(type: string, value: string): { id: string } & Record<string, unknown> {
  return { type, id: scoId(type, { value }), spec_version: "2.1", value };
}

/** What `attempt` failed with, asserted to be a VendorError (of `kind` when given). */
export async function vendorFailure(
  attempt: Promise<unknown>,
  kind?: VendorErrorKind,
): Promise<VendorError> {
  const error = await attempt.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof VendorError, `expected a VendorError, got ${error}`);
  if (kind !== undefined) assert.equal(error.kind, kind);
  return error;
}

/** The relationship `type` from `source` to `target` among the result's objects. */
export function relation(
  result: EnrichmentResult,
  type: string,
  source: string,
  target: string,
): StixObject | undefined {
  return result.objects.find((object) =>
    object.type === "relationship" && object.relationship_type === type &&
    object.source_ref === source && object.target_ref === target
  );
}

/** The work message, with `pushed` bundles when it quotes them. */
export function messageOf(result: EnrichmentResult, pushed = 7): string {
  return typeof result.message === "function" ? result.message({ pushed }) : result.message;
}

/** A store keeping answers in a map (TTL ignored) and limiters that never wait; it records the budgets asked for. */
export function mapStore(): VendorStore & { budgets: string[] } {
  const answers = new Map<string, CachedAnswer>();
  const budgets: string[] = [];
  return {
    budgets,
    cache: {
      get: (key) => Promise.resolve(answers.get(key)),
      set: (key, answer) => Promise.resolve(void answers.set(key, answer)),
    },
    limiter(budget) {
      budgets.push(budget);
      return { acquire: () => Promise.resolve(0) };
    },
    close: () => Promise.resolve(),
  };
}
