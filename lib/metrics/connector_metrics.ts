/**
 * The connector's metrics: pycti's counters (bundles_sent_total,
 * ping_api_total, ping_api_errors_total, errors_total) plus ours, fed by the
 * runtime, vendor-HTTP and broker observer hooks.
 *
 * @module
 */

import { type Counter, type Gauge, type Histogram, MetricsRegistry } from "./registry.ts";

/** Outcomes an enrichment can end with (label values of enrichments_total). */
type Outcome = "enriched" | "no_data" | "skipped_scope" | "refused_tlp" | "error";

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The help text of each metric, by its name (before the optional prefixes). */
const HELP = {
  bundles_sent_total: "Bundles published to the platform",
  ping_api_total: "Successful connector pings",
  ping_api_errors_total: "Failed connector pings",
  errors_total: "Errors while processing or sending",
  enrichments_total: "Enrichment messages processed, by vendor and outcome",
  enrichment_duration_seconds: "Time from receiving a message to acking it",
  messages_in_flight: "Messages being processed",
  messages_requeued_total: "Messages handed back to the queue for a retry",
  vendor_requests_total: "Vendor API requests, by vendor and HTTP status (or network/timeout)",
  vendor_retries_total: "Vendor API requests retried",
  vendor_cache_hits_total: "Vendor questions answered from the answer cache, by vendor",
  vendor_cache_misses_total: "Vendor questions the answer cache could not answer, by vendor",
  vendor_rate_limited_seconds_total: "Seconds vendor requests waited for the rate limit, by vendor",
  broker_reconnects_total: "Reconnections to the broker after a failure",
  ready: "1 when registered and consuming",
  process_resident_memory_bytes: "Resident memory of the process, sampled at each scrape",
  process_heap_used_bytes: "V8 heap in use, sampled at each scrape",
  process_heap_total_bytes: "V8 heap reserved, sampled at each scrape",
} as const;

type MetricName = keyof typeof HELP;

/**
 * Every metric of the connector, and the observer methods that update them
 * (it satisfies the runtime's `RuntimeObserver` as it is).
 */
export class ConnectorMetrics {
  /** The registry to render. */
  readonly registry: MetricsRegistry;
  readonly bundlesSentTotal: Counter;
  readonly pingApi: Counter;
  readonly pingApiErrors: Counter;
  readonly errors: Counter;
  readonly enrichments: Counter;
  readonly enrichmentDuration: Histogram;
  readonly messagesInFlight: Gauge;
  readonly messagesRequeued: Counter;
  readonly vendorRequests: Counter;
  readonly vendorRetries: Counter;
  /** Questions answered from the vendor answer cache. */
  readonly vendorCacheHits: Counter;
  /** Questions the cache could not answer (asked to the vendor). */
  readonly vendorCacheMisses: Counter;
  /** Seconds spent waiting for vendor rate limits. */
  readonly vendorRateLimitedSeconds: Counter;
  readonly brokerReconnects: Counter;
  readonly ready: Gauge;
  readonly residentMemory: Gauge;
  readonly heapUsed: Gauge;
  readonly heapTotal: Gauge;

  /** Creates the metrics under the optional pycti-style prefixes. */
  constructor(options: { namespace?: string; subsystem?: string } = {}) {
    const registry = new MetricsRegistry(options);
    this.registry = registry;
    const counter = (name: MetricName) => registry.counter(name, HELP[name]);
    const gauge = (name: MetricName, initial?: number) => {
      const created = registry.gauge(name, HELP[name]);
      if (initial !== undefined) created.set(initial);
      return created;
    };
    this.bundlesSentTotal = counter("bundles_sent_total");
    this.pingApi = counter("ping_api_total");
    this.pingApiErrors = counter("ping_api_errors_total");
    this.errors = counter("errors_total");
    this.enrichments = counter("enrichments_total");
    this.enrichmentDuration = registry.histogram(
      "enrichment_duration_seconds",
      HELP.enrichment_duration_seconds,
      DURATION_BUCKETS,
    );
    this.messagesInFlight = gauge("messages_in_flight", 0);
    this.messagesRequeued = counter("messages_requeued_total");
    this.vendorRequests = counter("vendor_requests_total");
    this.vendorRetries = counter("vendor_retries_total");
    this.vendorCacheHits = counter("vendor_cache_hits_total");
    this.vendorCacheMisses = counter("vendor_cache_misses_total");
    this.vendorRateLimitedSeconds = counter("vendor_rate_limited_seconds_total");
    this.brokerReconnects = counter("broker_reconnects_total");
    this.ready = gauge("ready", 0);
    this.residentMemory = gauge("process_resident_memory_bytes");
    this.heapUsed = gauge("process_heap_used_bytes");
    this.heapTotal = gauge("process_heap_total_bytes");
    for (const pycti of [this.bundlesSentTotal, this.pingApi, this.pingApiErrors, this.errors]) {
      pycti.touch();
    }
    this.brokerReconnects.touch();
  }

  /** Samples the process's memory, then renders every metric in Prometheus text format. */
  render(): string {
    const memory = Deno.memoryUsage();
    this.residentMemory.set(memory.rss);
    this.heapUsed.set(memory.heapUsed);
    this.heapTotal.set(memory.heapTotal);
    return this.registry.render();
  }

  /** Runtime hook: a message started. */
  messageStarted(_vendor: string): void {
    this.messagesInFlight.add(1);
  }

  /** Runtime hook: a message ended. */
  messageFinished(vendor: string, outcome: Outcome, seconds: number): void {
    this.messagesInFlight.add(-1);
    this.enrichments.inc({ vendor, outcome });
    this.enrichmentDuration.observe(seconds, { vendor });
  }

  /** Runtime hook: a message went back to the queue. */
  messageRequeued(vendor: string): void {
    this.messagesInFlight.add(-1);
    this.messagesRequeued.inc({ vendor });
  }

  /** Runtime hook: bundles published. */
  bundlesSent(count: number): void {
    this.bundlesSentTotal.inc({}, count);
  }

  /** Runtime hook: a connector ping. */
  ping(ok: boolean): void {
    (ok ? this.pingApi : this.pingApiErrors).inc();
  }

  /** Runtime hook: an error. */
  error(): void {
    this.errors.inc();
  }

  /** Runtime hook: readiness. */
  readiness(ready: boolean): void {
    this.ready.set(ready ? 1 : 0);
  }

  /** Vendor HTTP hook: one request ended with an HTTP status or a transport failure. */
  vendorRequest(vendor: string, outcome: number | "network" | "timeout"): void {
    this.vendorRequests.inc({ vendor, status: String(outcome) });
  }

  /** Vendor HTTP hook: a request is retried. */
  vendorRetry(vendor: string): void {
    this.vendorRetries.inc({ vendor });
  }

  /** Vendor HTTP hook: a question was answered from the cache (`hit`) or had to be asked. */
  vendorCache(vendor: string, hit: boolean): void {
    (hit ? this.vendorCacheHits : this.vendorCacheMisses).inc({ vendor });
  }

  /** Vendor HTTP hook: a request waited `ms` milliseconds for the rate limit. */
  vendorRateLimited(vendor: string, ms: number): void {
    this.vendorRateLimitedSeconds.inc({ vendor }, ms / 1000);
  }

  /** Broker hook: reconnected after a failure. */
  brokerReconnect(): void {
    this.brokerReconnects.inc();
  }
}
