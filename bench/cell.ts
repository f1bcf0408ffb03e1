/**
 * One benchmark cell from the command line, for profiling and trying V8
 * settings without running the whole matrix:
 *
 *   deno run -A bench/cell.ts LATENCY_MS CONCURRENCY MESSAGES [deno run flags...]
 *   deno run -A bench/cell.ts 0 32 20000 --v8-flags=--max-old-space-size=96
 *
 * Prints the cell's figures as one JSON line, with RSS in MB at 10%, 30%,
 * 50%, 70%, 90% and 99% of the run, and the live V8 heap after each full
 * GC (from `--trace-gc`; a rising series is a leak).
 *
 * @module
 */

import { freePort } from "../tests/support/ports.ts";
import { runCell } from "./enrichment_run.ts";
import { percentile } from "./stats.ts";
import { startWorld } from "./world.ts";

const [latency, concurrency, messages] = Deno.args.slice(0, 3).map(Number);
if (![latency, concurrency, messages].every((value) => Number.isInteger(value))) {
  // deno-lint-ignore no-console
  console.error("usage: deno run -A bench/cell.ts LATENCY_MS CONCURRENCY MESSAGES [deno flags...]");
  Deno.exit(2);
}
const world = await startWorld();
try {
  const { rss, liveHeap, ...figures } = await runCell(world, {
    messages: messages!,
    concurrency: concurrency!,
    vendorLatencyMs: latency!,
    metricsPort: freePort(),
    denoFlags: Deno.args.slice(3),
    traceGc: true,
  });
  const mb = rss.map((sample) => Math.round(sample.rss / 1024 / 1024));
  // deno-lint-ignore no-console
  console.log(JSON.stringify({
    ...figures,
    medianRssMb: percentile(mb, 50),
    rssTrendMb: [0.1, 0.3, 0.5, 0.7, 0.9, 0.99].map((at) => mb[Math.floor(mb.length * at)]),
    liveHeapAfterFullGcMb: liveHeap.map((bytes) => Math.round(bytes / 1024 / 1024)),
  }));
} finally {
  await world.close();
}
