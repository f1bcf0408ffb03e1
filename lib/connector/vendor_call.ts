/**
 * Asking the vendor about one entity: the enrichment context (labels bound
 * to the limits, notices collected, cache hits counted) and the call itself,
 * whose throw becomes a {@link Failure}.
 *
 * @module
 */

import type { EnrichmentLimits } from "../config/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { Enricher, EnrichmentNotice, EnrichmentResult } from "../vendors/mod.ts";
import { boundLabels } from "./labels.ts";
import { attempt, type Step } from "./outcome.ts";
import type { PlatformPort } from "./ports.ts";
import type { ResolvedEntity } from "./resolve.ts";

/** What the vendor call gave, with what was left out and how many answers came from the cache. */
export interface VendorOutcome {
  result: EnrichmentResult;
  notices: EnrichmentNotice[];
  cachedAnswers: number;
}

/** Options of {@link callVendor}. */
export interface VendorCallOptions {
  enricher: Enricher;
  platform: PlatformPort;
  limits: EnrichmentLimits;
  logger: Logger;
  signal: AbortSignal;
  now: Date;
}

/** Runs the enricher on the entity. */
export async function callVendor(
  entity: ResolvedEntity,
  options: VendorCallOptions,
): Promise<Step<VendorOutcome>> {
  const notices: EnrichmentNotice[] = [];
  let cachedAnswers = 0;
  const labels = boundLabels(
    (value, color) => options.platform.ensureLabel(value, color),
    options.limits,
  );
  const step = await attempt(() =>
    options.enricher.enrich(
      { entityType: entity.entityType, standardId: entity.standardId, stix: entity.stix },
      {
        signal: options.signal,
        logger: options.logger,
        now: options.now,
        labels,
        limits: options.limits,
        report: (notice) => notices.push(notice),
        answeredFromCache: () => cachedAnswers++,
      },
    ), options.signal);
  labels.flush((notice) => notices.push(notice));
  return step.ok ? { ok: true, value: { result: step.value, notices, cachedAnswers } } : step;
}

/** One line per notice, for logs and the work message. */
export function describeNotice(notice: EnrichmentNotice): string {
  if (notice.kind === "capped") {
    return `${notice.kept} of ${notice.total} ${notice.subject} kept (limit ${
      notice.setting ?? "reached"
    })`;
  }
  const reasons = notice.reasons && notice.reasons.length > 0
    ? ` (${notice.reasons.join("; ")})`
    : "";
  return `${
    notice.total - notice.kept
  } of ${notice.total} ${notice.subject} skipped as invalid${reasons}`;
}
