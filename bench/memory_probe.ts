/**
 * A view of the connector's memory from inside the process, for finding
 * where its resident memory goes: a module the bench preloads into the
 * connector (`deno run --preload`), which appends one JSON line per sample
 * to a file: `Deno.memoryUsage()` and the physical size of each V8 heap
 * space (node:v8 `getHeapSpaceStatistics`), with V8's own malloc'd memory.
 * The production program never loads it.
 *
 * @module
 */

/** One sample, in bytes. */
export interface ProbeSample {
  at: number;
  rss: number;
  /** V8 heap committed (all spaces) and in use. */
  heapTotal: number;
  heapUsed: number;
  /** Memory V8 accounts outside its heap: ArrayBuffer backing stores, external strings. */
  external: number;
  /** Physical (resident) size of V8's heap spaces, by space name. */
  spaces: Record<string, number>;
  /** Physical size of the whole V8 heap, and what V8 itself malloc'd (zones, tables). */
  physical: number;
  malloced: number;
  /** Bytes V8 allocated since the start (garbage included): the allocation rate's integral. */
  allocated: number;
}

/** Where the probe writes, how often it samples, and when it writes a heap snapshot. */
export interface ProbeOptions {
  /** JSON lines of {@link ProbeSample}. */
  samplesPath: string;
  intervalMs: number;
  /** Writes `v8.writeHeapSnapshot(path)` this long after the start (e.g. under load). */
  snapshot?: { path: string; afterMs: number };
  /**
   * Samples allocations (garbage included) with V8's sampling heap profiler,
   * through node:inspector, from `afterMs` for `durationMs`, and writes the
   * profile (a `SamplingHeapProfile`: a call tree with the bytes each frame allocated).
   */
  allocations?: { path: string; afterMs: number; durationMs: number };
}

/** The source of the module to preload, with the options written in. */
export function probeSource(options: ProbeOptions): string {
  return `
import v8 from "node:v8";
const options = ${JSON.stringify(options)};
const file = Deno.openSync(options.samplesPath, { write: true, create: true, truncate: true });
const encoder = new TextEncoder();
const timer = setInterval(() => {
  const spaces = {};
  for (const space of v8.getHeapSpaceStatistics()) {
    if (space.physical_space_size > 0) spaces[space.space_name] = space.physical_space_size;
  }
  const heap = v8.getHeapStatistics();
  const sample = {
    at: Date.now(),
    ...Deno.memoryUsage(),
    spaces,
    physical: heap.total_physical_size,
    malloced: heap.malloced_memory,
    allocated: heap.total_allocated_bytes,
  };
  file.writeSync(encoder.encode(JSON.stringify(sample) + "\\n"));
}, options.intervalMs);
Deno.unrefTimer(timer);
if (options.allocations) {
  const { Session } = await import("node:inspector");
  const session = new Session();
  session.connect();
  const { path, afterMs, durationMs } = options.allocations;
  const begin = setTimeout(() => {
    session.post("HeapProfiler.startSampling", {
      samplingInterval: 16384,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    const end = setTimeout(() => {
      session.post("HeapProfiler.stopSampling", (error, result) => {
        Deno.writeTextFileSync(path, JSON.stringify(error ? { error: String(error) } : result.profile));
      });
    }, durationMs);
    Deno.unrefTimer(end);
  }, afterMs);
  Deno.unrefTimer(begin);
}
if (options.snapshot) {
  const snapshot = setTimeout(() => v8.writeHeapSnapshot(options.snapshot.path), options.snapshot.afterMs);
  Deno.unrefTimer(snapshot);
}
`;
}

/** Reads the samples the probe wrote. */
export async function readProbe(path: string): Promise<ProbeSample[]> {
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}
