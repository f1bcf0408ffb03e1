/**
 * Hooks through which the runtime reports what it does, for metrics. The
 * runtime depends on this interface only; `lib/metrics` implements it.
 *
 * @module
 */

/** How one enrichment message ended. */
export type EnrichmentOutcome =
  | "enriched"
  | "no_data"
  | "skipped_scope"
  | "refused_tlp"
  | "duplicate"
  | "error";

/** What the runtime reports. Every method must be cheap and must not throw. */
export interface RuntimeObserver {
  /** A message started processing. */
  messageStarted(vendor: string): void;
  /** A message ended with `outcome` (not called when it was requeued). */
  messageFinished(vendor: string, outcome: EnrichmentOutcome, seconds: number): void;
  /** A message was handed back to the queue to be retried. */
  messageRequeued(vendor: string): void;
  /** One-object bundles published to the push exchange. */
  bundlesSent(count: number): void;
  /** A connector ping succeeded or failed. */
  ping(ok: boolean): void;
  /** A processing or sending error (pycti's errors_total). */
  error(): void;
  /** Readiness changed (registered and consuming on every instance). */
  readiness(ready: boolean): void;
}

/** An observer that ignores everything. */
export const NOOP_OBSERVER: RuntimeObserver = {
  messageStarted() {},
  messageFinished() {},
  messageRequeued() {},
  bundlesSent() {},
  ping() {},
  error() {},
  readiness() {},
};
