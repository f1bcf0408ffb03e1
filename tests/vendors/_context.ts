/**
 * What the vendor tests give an enricher: an enrichment context that records
 * the labels asked for, the notices reported and the cache hits, with a
 * logger that keeps its lines; and a vendor section resolved with its
 * defaults, as the config loader would.
 *
 * @module
 */

import {
  buildVendorSettings,
  DEFAULT_ENRICHMENT_LIMITS,
  type EnrichmentLimits,
} from "../../lib/config/mod.ts";
import { type CapturedLogger, captureLogger } from "../../lib/log/testing.ts";
import type { CachedAnswer, VendorStore } from "../../lib/http/mod.ts";
import type { StixObject } from "../../lib/stix/mod.ts";
import type {
  EnrichmentContext,
  EnrichmentNotice,
  EnrichmentResult,
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

/** An observable the way the platform sends it. */
export function observable(type: string, value: string, id: string): StixObject {
  return { type, id, spec_version: "2.1", value } as StixObject;
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
