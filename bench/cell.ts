/**
 * One benchmark cell from the command line, for profiling and trying V8
 * settings without running the whole matrix:
 *
 *   deno run -A bench/cell.ts LATENCY_MS CONCURRENCY MESSAGES [options] [deno run flags...]
 *   deno run -A bench/cell.ts 0 32 20000 --v8-flags=--max-old-space-size=96
 *   deno run -A bench/cell.ts 100 8 1600 --vendor=proofpoint-et --env=MALLOC_ARENA_MAX=2
 *
 * Options: `--bundle` (run dist/opencti-enrich.js from `deno task bundle`, the
 * module graph `deno compile` embeds), `--vendor=silentpush|proofpoint-et`, `--env=NAME=VALUE` (repeatable,
 * set in the connector's environment), `--heap-snapshot-after=MS` (a V8 heap
 * snapshot that long after the connector is ready; its path is printed),
 * `--allocations=AFTER_MS,DURATION_MS` (V8's sampling heap profile of every
 * allocation, garbage included, over that window; its path is printed).
 *
 * Prints the cell's figures as one JSON line, with RSS in MB at 10%, 30%,
 * 50%, 70%, 90% and 99% of the run, the live V8 heap after each full GC
 * (from `--trace-gc-nvp`; a rising series is a leak), what the collector did, and where the resident
 * memory goes under load (`memory`: medians over the samples from 10% of the
 * run on, and the sample at peak RSS), from bench/memory_probe.ts inside the
 * connector and /proc/<pid>/status outside it.
 *
 * @module
 */

import { freePort } from "../tests/support/ports.ts";
import { type BenchVendor, runCell } from "./enrichment_run.ts";
import type { ProbeSample } from "./memory_probe.ts";
import { percentile } from "./stats.ts";
import { startWorld } from "./world.ts";

const [latency, concurrency, messages] = Deno.args.slice(0, 3).map(Number);
if (![latency, concurrency, messages].every((value) => Number.isInteger(value))) {
  // deno-lint-ignore no-console
  console.error(
    "usage: deno run -A bench/cell.ts LATENCY_MS CONCURRENCY MESSAGES [--bundle] [--vendor=V] [--env=K=V] [--heap-snapshot-after=MS] [--allocations=AFTER,FOR] [deno flags...]",
  );
  Deno.exit(2);
}
let vendor: BenchVendor = "silentpush";
let program: "source" | "bundle" = "source";
let heapSnapshotAfterMs: number | undefined;
let allocationProfile: { afterMs: number; durationMs: number } | undefined;
const env: Record<string, string> = {};
const denoFlags: string[] = [];
for (const arg of Deno.args.slice(3)) {
  if (arg === "--bundle") program = "bundle";
  else if (arg.startsWith("--vendor=")) vendor = arg.slice("--vendor=".length) as BenchVendor;
  else if (arg.startsWith("--heap-snapshot-after=")) {
    heapSnapshotAfterMs = Number(arg.slice("--heap-snapshot-after=".length));
  } else if (arg.startsWith("--allocations=")) {
    const [afterMs, durationMs] = arg.slice("--allocations=".length).split(",").map(Number);
    allocationProfile = { afterMs: afterMs!, durationMs: durationMs! };
  } else if (arg.startsWith("--env=")) {
    const [name, ...value] = arg.slice("--env=".length).split("=");
    env[name!] = value.join("=");
  } else denoFlags.push(arg);
}

const MB = 1024 * 1024;
const world = await startWorld();
try {
  const { rss, liveHeap, probe, ...figures } = await runCell(world, {
    messages: messages!,
    concurrency: concurrency!,
    vendorLatencyMs: latency!,
    metricsPort: freePort(),
    denoFlags,
    traceGc: true,
    probe: true,
    vendor,
    program,
    env,
    ...(heapSnapshotAfterMs === undefined ? {} : { heapSnapshotAfterMs }),
    ...(allocationProfile ? { allocationProfile } : {}),
  });
  const mb = rss.map((sample) => Math.round(sample.rss / MB));
  const loaded = rss.slice(Math.floor(rss.length * 0.1));
  // deno-lint-ignore no-console
  console.log(JSON.stringify({
    ...figures,
    vendor,
    medianRssMb: percentile(mb, 50),
    rssTrendMb: [0.1, 0.3, 0.5, 0.7, 0.9, 0.99].map((at) => mb[Math.floor(mb.length * at)]),
    liveHeapAfterFullGcMb: liveHeap.map((bytes) => Math.round(bytes / MB)),
    memory: {
      rssAnonMb: round(percentile(loaded.map((sample) => sample.rssAnon), 50) / MB),
      rssFileMb: round(percentile(loaded.map((sample) => sample.rssFile), 50) / MB),
      ...whereTheRssGoes(probe),
    },
  }));
} finally {
  await world.close();
}

/** Medians over the loaded part of the run, and the sample at peak RSS, in MB. */
function whereTheRssGoes(samples: ProbeSample[]) {
  const loaded = samples.slice(Math.floor(samples.length * 0.1));
  if (loaded.length === 0) return {};
  const breakdown = (sample: ProbeSample) => ({
    rss: sample.rss,
    v8Committed: sample.heapTotal,
    v8Used: sample.heapUsed,
    v8Physical: sample.physical,
    youngGen: sample.spaces["new_space"] ?? 0,
    oldGen: sample.spaces["old_space"] ?? 0,
    largeObjects: (sample.spaces["large_object_space"] ?? 0) +
      (sample.spaces["new_large_object_space"] ?? 0),
    code: sample.spaces["code_space"] ?? 0,
    external: sample.external,
    v8Malloced: sample.malloced,
    nonV8: sample.rss - sample.physical,
  });
  const rows = loaded.map(breakdown);
  const median: Record<string, number> = {};
  for (const key of Object.keys(rows[0]!) as Array<keyof ReturnType<typeof breakdown>>) {
    median[key] = round(percentile(rows.map((row) => row[key]), 50) / MB);
  }
  const peak = rows.reduce((best, row) => row.rss > best.rss ? row : best);
  const atPeak = Object.fromEntries(
    Object.entries(peak).map(([key, value]) => [key, round(value / MB)]),
  );
  const allocatedMb = round((samples.at(-1)!.allocated - samples[0]!.allocated) / MB);
  return { medianMb: median, atPeakMb: atPeak, samples: loaded.length, allocatedMb };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
