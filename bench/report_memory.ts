/**
 * The RESULTS.md sections on resident memory by concurrency (with the live
 * heap beside it) and on the vendor answer cache (vendor requests per
 * enrichment with and without it).
 *
 * @module
 */

import type { CellResult } from "./enrichment_run.ts";
import { median } from "./stats.ts";

const MB = 1024 * 1024;

/** Peak and median RSS and the live heap per cell, against the round's targets. */
export function rssByConcurrency(cells: CellResult[][]): string[] {
  const lines = [
    "## Resident memory by concurrency",
    "",
    "Peak RSS over the run and its median, beside the live heap (the V8 heap left after each full " +
    "collection, median over the run, from `--trace-gc-nvp`): what the process holds against what " +
    "it needs. The connector runs with the V8 settings the deno.json `compile` task embeds. " +
    "Targets: ≤ 100 MB peak at concurrency 8 and 100 ms, ≤ 150 MB at concurrency 32 and 0 ms.",
    "",
    "| Vendor latency | Concurrency | Peak RSS | Median RSS | Live heap | Enrichments/s | Target met |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const runs of cells) {
    const first = runs[0]!;
    const peak = median(runs.map((run) => run.peakRssBytes));
    const steady = median(runs.map((run) => median(run.rss.map((sample) => sample.rss))));
    const live = median(runs.map((run) => run.liveHeap.length > 0 ? median(run.liveHeap) : 0));
    const target = first.vendorLatencyMs === 100 && first.concurrency === 8
      ? (peak <= 100 * MB ? "yes (≤ 100 MB)" : "no (≤ 100 MB)")
      : first.vendorLatencyMs === 0 && first.concurrency === 32
      ? (peak <= 150 * MB ? "yes (≤ 150 MB)" : "no (≤ 150 MB)")
      : "—";
    lines.push(
      `| ${first.vendorLatencyMs} ms | ${first.concurrency} | ${mb(peak)} | ${mb(steady)} | ${
        live > 0 ? mb(live) : "—"
      } | ${median(runs.map((run) => run.throughput)).toFixed(0)} | ${target} |`,
    );
  }
  return lines;
}

/** Vendor requests per enrichment with and without the cache, against distinct / enrichments. */
export function cacheSection(cells: Array<{ ttl: number; runs: CellResult[] }>): string[] {
  const lines = [
    "## Never asking a vendor the same question twice",
    "",
    "10,000 enrichments over 2,000 distinct IPv4 observables (each asked five times), Silent Push " +
    "(one request per IPv4), concurrency 32, vendor latency 0. The target with the cache is " +
    "distinct observables / enrichments = 0.200 requests per enrichment (±1%). The start-up " +
    "key check is not counted.",
    "",
    "| Answer cache | Vendor requests per enrichment | Target | Enrichments/s |",
    "| --- | --- | --- | --- |",
  ];
  for (const { ttl, runs } of cells) {
    const perEnrichment = median(runs.map((run) => run.vendorRequestsPerEnrichment));
    const distinct = 2_000 / (runs[0]?.messages ?? 10_000);
    const target = ttl > 0
      ? `${distinct.toFixed(3)}: ${
        Math.abs(perEnrichment - distinct) <= distinct * 0.01 ? "met" : "missed"
      }`
      : "— (1 request per enrichment)";
    lines.push(
      `| ${ttl > 0 ? `on (TTL ${ttl} s)` : "off (TTL 0)"} | ${
        perEnrichment.toFixed(3)
      } | ${target} | ${median(runs.map((run) => run.throughput)).toFixed(0)} |`,
    );
  }
  return lines;
}

function mb(bytes: number): string {
  return `${Math.round(bytes / MB)} MB`;
}
