/**
 * One benchmark cell: fill a fresh connector's queue with N requests, start
 * the connector, and time it until every work is reported processed, while
 * sampling its memory and reading its CPU time.
 *
 * @module
 */

import { type ProgramKind, startConnector } from "./connector.ts";
import { type ProbeSample, readProbe } from "./memory_probe.ts";
import { brokerPids, readCpuSeconds, readCpuSecondsOf, readMemory, RssSampler } from "./proc.ts";
import { percentile } from "./stats.ts";
import { benchConfig, type BenchVendor, type BenchWorld, drain, fillQueue } from "./world.ts";

/** Parameters of a cell. */
export interface CellOptions {
  messages: number;
  concurrency: number;
  vendorLatencyMs: number;
  metricsPort: number;
  program?: ProgramKind;
  denoFlags?: string[];
  /** Record every collection (`--v8-flags=--trace-gc-nvp`): the live heap after each full GC, and {@link GcSummary}. */
  traceGc?: boolean;
  /** The vendor called (default Silent Push, one API call per IP; ET makes five). */
  vendor?: BenchVendor;
  /** Sample the connector's V8 heap spaces from inside (bench/memory_probe.ts). */
  probe?: boolean;
  /** Write a V8 heap snapshot this long after the connector is ready (needs `probe`). */
  heapSnapshotAfterMs?: number;
  /** Sample allocations over this window after the connector is ready (needs `probe`). */
  allocationProfile?: { afterMs: number; durationMs: number };
  /** Extra environment variables of the connector (e.g. `MALLOC_ARENA_MAX`). */
  env?: Record<string, string>;
  /** Called with the fraction processed, about once a second. */
  progress?: (done: number) => void;
  /** How many different observables the messages ask about (default: each message its own). */
  distinct?: number;
  /** The vendor's answer cache TTL in seconds (default: the vendor's own default; 0 = off). */
  cacheTtlSeconds?: number;
}

/** The collections of a run, from V8's `--trace-gc-nvp` records. */
export interface GcSummary {
  /** Young-generation collections, their total pause, and the bytes they promoted to the old generation. */
  scavenges: number;
  scavengeMs: number;
  promotedBytes: number;
  /** Full (mark-compact) collections and their total pause. */
  markCompacts: number;
  markCompactMs: number;
  /** The largest young-generation capacity V8 grew to. */
  maxNewSpaceBytes: number;
}

export type { BenchVendor };

/** What a cell measured. */
export interface CellResult {
  messages: number;
  concurrency: number;
  vendorLatencyMs: number;
  /** Enrichments per second, from consuming to the last work processed. */
  throughput: number;
  /** Per-message latency, received by the connector to processed, in ms. */
  p50Ms: number;
  p95Ms: number;
  /** Connector CPU milliseconds per enrichment. */
  cpuMsPerEnrichment: number;
  /** CPU milliseconds per enrichment of the rest of the machine's work: this harness and RabbitMQ. */
  harnessCpuMsPerEnrichment: number;
  brokerCpuMsPerEnrichment: number;
  /** Bundles pushed per enrichment (pycti's one-object split). */
  bundlesPerEnrichment: number;
  /** Vendor API requests per enrichment while the messages were processed (the start-up key check excluded). */
  vendorRequestsPerEnrichment: number;
  peakRssBytes: number;
  /** RSS samples over the run (for the soak). */
  rss: Array<{ at: number; rss: number; rssAnon: number; rssFile: number }>;
  /** With `probe`: the samples from inside the connector over the run. */
  probe: ProbeSample[];
  /** With `heapSnapshotAfterMs`: where the snapshot was written. */
  heapSnapshotPath?: string;
  /** With `allocationProfile`: where the sampled allocation profile was written. */
  allocationProfilePath?: string;
  /** With `traceGc`: the live heap in bytes after each full GC, in order (from V8's trace). */
  liveHeap: number[];
  /** With `traceGc`: what the collector did over the run, and where its raw trace was saved. */
  gc?: GcSummary;
  gcTracePath?: string;
  readyAfterMs: number;
}

/** Runs one cell against `world`. */
export async function runCell(world: BenchWorld, options: CellOptions): Promise<CellResult> {
  const connectorId = crypto.randomUUID();
  world.vendor.setLatency(options.vendorLatencyMs);
  world.et.setLatency(options.vendorLatencyMs);
  const requests = await fillQueue(world, connectorId, options.messages, options.distinct);
  const worker = await drain(world, connectorId);
  const vendor = options.vendor ?? "silentpush";
  const samplesPath = options.probe
    ? await Deno.makeTempFile({ prefix: "opencti-enrich-probe-", suffix: ".jsonl" })
    : undefined;
  const heapSnapshotPath = options.heapSnapshotAfterMs === undefined
    ? undefined
    : `${await Deno.makeTempDir({ prefix: "opencti-enrich-heap-" })}/connector.heapsnapshot`;
  const allocationProfilePath = options.allocationProfile
    ? await Deno.makeTempFile({ prefix: "opencti-enrich-allocations-", suffix: ".json" })
    : undefined;
  const connector = await startConnector({
    ...(samplesPath
      ? {
        probe: {
          samplesPath,
          intervalMs: 250,
          ...(heapSnapshotPath
            ? { snapshot: { path: heapSnapshotPath, afterMs: options.heapSnapshotAfterMs! } }
            : {}),
          ...(allocationProfilePath
            ? { allocations: { path: allocationProfilePath, ...options.allocationProfile! } }
            : {}),
        },
      }
      : {}),
    ...(options.env ? { env: options.env } : {}),
    metricsPort: options.metricsPort,
    ...(options.program ? { program: options.program } : {}),
    ...(options.denoFlags ? { denoFlags: options.denoFlags } : {}),
    ...(options.traceGc ? { traceGc: true } : {}),
    config: benchConfig(world, {
      id: connectorId,
      vendor,
      concurrency: options.concurrency,
      metricsPort: options.metricsPort,
    }, {
      // The bench measures the connector, not the vendor's quota.
      ...(vendor === "proofpoint-et" ? { rate_limit: 0 } : {}),
      ...(options.cacheTtlSeconds === undefined ? {} : { cache_ttl: options.cacheTtlSeconds }),
    }),
  });
  const startedAt = Date.now();
  const api = vendor === "silentpush" ? world.vendor : world.et;
  const vendorRequestsBefore = api.requestCount;
  const broker = await brokerPids();
  const cpuBefore = await readCpuSeconds(connector.pid);
  const harnessBefore = await readCpuSeconds(Deno.pid);
  const brokerBefore = await readCpuSecondsOf(broker);
  const sampler = new RssSampler(connector.pid, 250);
  try {
    let pending = requests.map((request) => request.workId);
    let lastReport = performance.now();
    while (pending.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      pending = pending.filter((id) => !world.octi.work(id)?.processedTime);
      if (options.progress && performance.now() - lastReport > 1000) {
        options.progress(1 - pending.length / requests.length);
        lastReport = performance.now();
      }
    }
    const cpuAfter = await readCpuSeconds(connector.pid);
    const harnessAfter = await readCpuSeconds(Deno.pid);
    const brokerAfter = await readCpuSecondsOf(broker);
    const memory = await readMemory(connector.pid);
    sampler.stop();
    const works = requests.map((request) => world.octi.work(request.workId)!);
    const finishedAt = Math.max(...works.map((work) => Date.parse(work.processedTime!)));
    const latencies = works.map((work) =>
      Date.parse(work.processedTime!) - Date.parse(work.receivedTime!)
    );
    const errors = works.filter((work) => work.errors.length > 0).length;
    if (errors > 0) {
      throw new Error(
        `${errors} works ended in error (${
          JSON.stringify(works.find((w) => w.errors.length > 0)?.errors[0])
        }); the figures would be wrong`,
      );
    }
    const result: CellResult = {
      messages: options.messages,
      concurrency: options.concurrency,
      vendorLatencyMs: options.vendorLatencyMs,
      throughput: options.messages / ((finishedAt - startedAt) / 1000),
      p50Ms: percentile(latencies, 50),
      p95Ms: percentile(latencies, 95),
      cpuMsPerEnrichment: ((cpuAfter - cpuBefore) * 1000) / options.messages,
      harnessCpuMsPerEnrichment: ((harnessAfter - harnessBefore) * 1000) / options.messages,
      brokerCpuMsPerEnrichment: ((brokerAfter - brokerBefore) * 1000) / options.messages,
      bundlesPerEnrichment: works.reduce((sum, work) => sum + work.expectations, 0) /
        options.messages,
      vendorRequestsPerEnrichment: (api.requestCount - vendorRequestsBefore) / options.messages,
      peakRssBytes: memory.peakRss,
      rss: sampler.samples,
      liveHeap: [],
      probe: [],
      ...(heapSnapshotPath ? { heapSnapshotPath } : {}),
      ...(allocationProfilePath ? { allocationProfilePath } : {}),
      readyAfterMs: connector.readyAfterMs,
    };
    await connector.stop();
    const rawTrace = await connector.gcTrace;
    const trace = parseGcTrace(rawTrace);
    if (options.traceGc) {
      result.gcTracePath = await Deno.makeTempFile({
        prefix: "opencti-enrich-gc-",
        suffix: ".log",
      });
      await Deno.writeTextFile(result.gcTracePath, rawTrace);
    }
    result.liveHeap = trace.liveHeap;
    if (options.traceGc) result.gc = trace.summary;
    if (samplesPath) result.probe = await readProbe(samplesPath);
    return result;
  } finally {
    sampler.stop();
    await connector.stop();
    await worker.close();
    await world.platform.delete(connectorId);
    if (samplesPath) await Deno.remove(samplesPath).catch(() => {});
  }
}

/**
 * V8's `--trace-gc-nvp` records ("... GC: {json}"): `gc` is "s" for a
 * scavenge and "mc" for a mark-compact, whose `end_object_size` is the live
 * heap after a full collection.
 */
function parseGcTrace(trace: string): { liveHeap: number[]; summary: GcSummary } {
  const liveHeap: number[] = [];
  const summary: GcSummary = {
    scavenges: 0,
    scavengeMs: 0,
    promotedBytes: 0,
    markCompacts: 0,
    markCompactMs: 0,
    maxNewSpaceBytes: 0,
  };
  for (const line of trace.split("\n")) {
    const start = line.indexOf("GC: {");
    if (start < 0) continue;
    const record = JSON.parse(line.slice(start + 4)) as Record<string, unknown>;
    const number = (key: string) => Number(record[key] ?? 0);
    summary.maxNewSpaceBytes = Math.max(summary.maxNewSpaceBytes, number("new_space_capacity"));
    if (record.gc === "s") {
      summary.scavenges++;
      summary.scavengeMs += number("pause");
      summary.promotedBytes += number("promoted");
    } else if (record.gc === "mc") {
      summary.markCompacts++;
      summary.markCompactMs += number("pause");
      liveHeap.push(number("end_object_size"));
    }
  }
  return { liveHeap, summary };
}
