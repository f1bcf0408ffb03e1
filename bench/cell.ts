/**
 * One benchmark cell from the command line, for profiling and trying V8
 * settings without running the whole matrix:
 *
 *   deno run -A bench/cell.ts LATENCY_MS CONCURRENCY MESSAGES [deno run flags...]
 *   deno run -A bench/cell.ts 0 32 20000 --v8-flags=--max-old-space-size=96
 *
 * Prints the cell's figures as one JSON line, with RSS in MB at 10%, 30%,
 * 50%, 70%, 90% and 99% of the run, and the lowest V8 heap in use seen in
 * each tenth of it (near the live data: a rising low-water mark is a leak).
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
  const { rss, heap, ...figures } = await runCell(world, {
    messages: messages!,
    concurrency: concurrency!,
    vendorLatencyMs: latency!,
    metricsPort: freePort(),
    denoFlags: Deno.args.slice(3),
  });
  const mb = rss.map((sample) => Math.round(sample.rss / 1024 / 1024));
  // deno-lint-ignore no-console
  console.log(JSON.stringify({
    ...figures,
    medianRssMb: percentile(mb, 50),
    rssTrendMb: [0.1, 0.3, 0.5, 0.7, 0.9, 0.99].map((at) => mb[Math.floor(mb.length * at)]),
    heapLowWaterByDecileMb: Array.from({ length: 10 }, (_, decile) => {
      const slice = heap.slice(
        Math.floor((heap.length * decile) / 10),
        Math.ceil((heap.length * (decile + 1)) / 10),
      );
      return Math.round(Math.min(...slice.map((sample) => sample.heapUsed)) / 1024 / 1024);
    }),
  }));
} finally {
  await world.close();
}
