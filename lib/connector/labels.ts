/**
 * The label service a vendor module gets for one enrichment: each label
 * value is cleaned (control and format characters removed, white space
 * folded, cut to the label length limit) before it reaches the platform, and
 * once the enrichment reached its label limit further labels are left out —
 * each of those reported once, with counts.
 *
 * @module
 */

import type { EnrichmentLimits } from "../config/mod.ts";
import type { EnrichmentNotice, LabelService } from "../vendors/mod.ts";

/** Removes control and format characters, folds white space and cuts to `maxLength`. */
export function cleanLabel(value: string, maxLength: number): string {
  const folded = value.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, " ").replace(/\s+/g, " ").trim();
  return [...folded].slice(0, maxLength).join("").trim();
}

/** A label service bound to one enrichment. */
export interface BoundLabels extends LabelService {
  /** Reports the labels left out by the limit, if any (call once, at the end). */
  flush(report: (notice: EnrichmentNotice) => void): void;
}

/** Wraps `ensure` (the platform's label creation) with cleaning and the per-enrichment limits. */
export function boundLabels(
  ensure: (value: string, color: string) => Promise<string>,
  limits: Pick<EnrichmentLimits, "maxLabels" | "maxLabelLength">,
): BoundLabels {
  const accepted = new Map<string, Promise<string>>();
  let offered = 0;
  return {
    ensure(value, color) {
      const label = cleanLabel(value, limits.maxLabelLength);
      if (label === "") return Promise.resolve(undefined);
      const key = label.toLowerCase();
      const known = accepted.get(key);
      if (known) return known;
      offered += 1;
      if (accepted.size >= limits.maxLabels) return Promise.resolve(undefined);
      const created = ensure(label, color);
      accepted.set(key, created);
      return created;
    },
    flush(report) {
      if (offered > accepted.size) {
        report({
          kind: "capped",
          subject: "labels",
          kept: accepted.size,
          total: offered,
          setting: "CONNECTOR_MAX_LABELS",
        });
      }
    },
  };
}
