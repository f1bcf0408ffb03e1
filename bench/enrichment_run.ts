/**
 * One benchmark cell: fill a fresh connector's queue with N requests, start
 * the connector, and time it until every work is reported processed, while
 * sampling its memory and reading its CPU time.
 *
 * @module
 */

import { type ProgramKind, startConnector } from "./connector.ts";
import { brokerPids, readCpuSeconds, readCpuSecondsOf, readMemory, RssSampler } from "./proc.ts";
import { percentile } from "./stats.ts";
import { type BenchWorld, drain, fillQueue } from "./world.ts";

/** Parameters of a cell. */
export interface CellOptions {
  messages: number;
  concurrency: number;
  vendorLatencyMs: number;
  metricsPort: number;
  program?: ProgramKind;
  denoFlags?: string[];
  /** Record the live heap after each full GC (`--v8-flags=--trace-gc`). */
  traceGc?: boolean;
  /** Called with the fraction processed, about once a second. */
  progress?: (done: number) => void;
}

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
  peakRssBytes: number;
  /** RSS samples over the run (for the soak). */
  rss: Array<{ at: number; rss: number }>;
  /** With `traceGc`: the live heap in bytes after each full GC, in order (from V8's trace). */
  liveHeap: number[];
  readyAfterMs: number;
}

/** Runs one cell against `world`. */
export async function runCell(world: BenchWorld, options: CellOptions): Promise<CellResult> {
  const connectorId = crypto.randomUUID();
  world.vendor.setLatency(options.vendorLatencyMs);
  const requests = await fillQueue(world, connectorId, options.messages);
  const worker = await drain(world, connectorId);
  const connector = await startConnector({
    metricsPort: options.metricsPort,
    ...(options.program ? { program: options.program } : {}),
    ...(options.denoFlags ? { denoFlags: options.denoFlags } : {}),
    ...(options.traceGc ? { traceGc: true } : {}),
    config: {
      opencti: { url: world.octi.url, token: world.octi.token },
      connector: {
        id: connectorId,
        vendor: "silentpush",
        concurrency: options.concurrency,
        log_level: "warning",
        expose_metrics: true,
        metrics_port: options.metricsPort,
      },
      silentpush: { api_base_url: world.vendor.url, api_key: world.vendor.apiKey },
    },
  });
  const startedAt = Date.now();
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
      peakRssBytes: memory.peakRss,
      rss: sampler.samples,
      liveHeap: [],
      readyAfterMs: connector.readyAfterMs,
    };
    await connector.stop();
    result.liveHeap = parseGcTrace(await connector.gcTrace);
    return result;
  } finally {
    sampler.stop();
    await connector.stop();
    await worker.close();
    await world.platform.delete(connectorId);
  }
}

/** Live heap in bytes after each full GC, from V8's `--trace-gc` lines ("Mark-Compact A (B) -> C (D) MB"). */
function parseGcTrace(trace: string): number[] {
  const live: number[] = [];
  for (const match of trace.matchAll(/Mark-Compact[^\n]*?-> ([\d.]+) \(/g)) {
    live.push(Number(match[1]) * 1024 * 1024);
  }
  return live;
}
