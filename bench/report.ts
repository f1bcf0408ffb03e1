/**
 * Renders bench/RESULTS.md: the targets with what was measured, the
 * throughput matrix with ratios against the one-at-a-time row, CPU per
 * enrichment split between the connector and what shares the machine with
 * it, memory, start-up and the broker's ceiling, and the bound behind each
 * missed target.
 *
 * @module
 */

import type { BrokerCeiling } from "./broker_ceiling.ts";
import type { CellResult } from "./enrichment_run.ts";
import type { MachineInfo } from "./machine.ts";
import { cacheSection, rssByConcurrency } from "./report_memory.ts";
import { median } from "./stats.ts";
import type { StartupResult } from "./startup.ts";

/** Everything one `deno task bench` measured. */
export interface BenchResults {
  command: string;
  machine: MachineInfo;
  runs: number;
  /** One entry per cell, each with its runs. */
  matrix: CellResult[][];
  /** Resident memory by concurrency (at 0 and 100 ms), each cell with its runs. */
  rss: CellResult[][];
  /** 10,000 enrichments over 2,000 observables, by answer-cache TTL. */
  cache: Array<{ ttl: number; runs: CellResult[] }>;
  /** The same load under different V8 heap settings. */
  memory: Array<{ flags: string; result: CellResult }>;
  soak?: CellResult;
  startup?: StartupResult;
  broker?: BrokerCeiling;
  /** Hand-measured sections kept as written (bench/MEMORY.md), appended at the end. */
  appendix?: string;
}

const MB = 1024 * 1024;

/** The RESULTS.md text. */
export function renderResults(results: BenchResults): string {
  const cells = results.matrix.map(summarize);
  const lines: string[] = [
    "# Benchmark results",
    "",
    `Produced by \`${results.command}\` on ${results.machine.date}: ${results.machine.cores} cores ` +
    `(${results.machine.cpuModel}), ${results.machine.memoryGiB} GiB, ${results.machine.deno}, ` +
    "RabbitMQ on 127.0.0.1, the fake OpenCTI and the fake Silent Push API in the bench process. " +
    "The connector, RabbitMQ and the harness share the same cores. Figures are medians of " +
    `${results.runs} runs per cell unless noted.`,
    "",
  ];
  lines.push(...targets(results, cells), "");
  if (cells.length > 0) lines.push(...matrixTable(cells), "", ...cpuTable(cells), "");
  if (results.rss.length > 0) lines.push(...rssByConcurrency(results.rss), "");
  if (results.cache.length > 0) lines.push(...cacheSection(results.cache), "");
  if (results.memory.length > 0) lines.push(...memorySection(results.memory), "");
  if (results.soak) lines.push(...soakSection(results.soak), "");
  if (results.startup) lines.push(...startupSection(results.startup), "");
  if (results.broker) lines.push(...brokerSection(results.broker, cells), "");
  if (results.appendix) lines.push(results.appendix.trimEnd(), "");
  return lines.join("\n");
}

/** A cell's medians. */
interface CellSummary {
  latency: number;
  concurrency: number;
  messages: number;
  throughput: number;
  p50: number;
  p95: number;
  cpu: number;
  harnessCpu: number;
  brokerCpu: number;
  bundles: number;
  peakRss: number;
}

function summarize(runs: CellResult[]): CellSummary {
  const first = runs[0]!;
  const of = (pick: (run: CellResult) => number) => median(runs.map(pick));
  return {
    latency: first.vendorLatencyMs,
    concurrency: first.concurrency,
    messages: first.messages,
    throughput: of((run) => run.throughput),
    p50: of((run) => run.p50Ms),
    p95: of((run) => run.p95Ms),
    cpu: of((run) => run.cpuMsPerEnrichment),
    harnessCpu: of((run) => run.harnessCpuMsPerEnrichment),
    brokerCpu: of((run) => run.brokerCpuMsPerEnrichment),
    bundles: of((run) => run.bundlesPerEnrichment),
    peakRss: Math.max(...runs.map((run) => run.peakRssBytes)),
  };
}

function find(cells: CellSummary[], latency: number, concurrency: number) {
  return cells.find((cell) => cell.latency === latency && cell.concurrency === concurrency);
}

/** Enrichments per second the machine's cores allow when every party's CPU is counted. */
function cpuCeiling(cell: CellSummary, cores: number): number {
  return (cores * 1000) / (cell.cpu + cell.harnessCpu + cell.brokerCpu);
}

function targets(results: BenchResults, cells: CellSummary[]): string[] {
  const cores = results.machine.cores;
  const rows: string[] = [
    "## Targets",
    "",
    "| Target | Measured | Met | What bounds it |",
    "| --- | --- | --- | --- |",
  ];
  const at100 = find(cells, 100, 32);
  if (at100) {
    const base = find(cells, 100, 1);
    rows.push(
      `| ≥ 250 enrichments/s at 100 ms vendor latency, concurrency 32 (25× one at a time) | ` +
        `${at100.throughput.toFixed(0)}/s${base ? ` (${ratio(at100, base)} the c=1 row)` : ""} | ` +
        `${yes(at100.throughput >= 250)} | ${boundAt100(at100, cores, cells)} |`,
    );
  }
  const zero = cells.filter((cell) => cell.latency === 0);
  if (zero.length > 0) {
    const best = zero.reduce((a, b) => (b.throughput > a.throughput ? b : a));
    rows.push(
      `| ≥ 1,000 enrichments/s end to end at 0 ms | ${best.throughput.toFixed(0)}/s ` +
        `(concurrency ${best.concurrency}) | ${yes(best.throughput >= 1000)} | ` +
        `${boundAtZero(best, cores)} |`,
    );
  }
  if (results.soak) {
    const soak = soakFigures(results.soak);
    rows.push(
      `| Steady RSS ≤ 80 MB | ${mb(soak.steady)} under load (soak); ` +
        `${
          results.startup
            ? `${mb(median(results.startup.idleRssSource))} idle`
            : "idle not measured"
        } | ` +
        `${yes(soak.steady <= 80 * MB)} | ${rssBound(results, soak)} |`,
      `| RSS growth < 10% over the ${results.soak.messages.toLocaleString("en")}-message soak | ` +
        `${pct(soak.growth)} from 10-20% to the end; ${
          pct(soak.secondHalfGrowth)
        } over the second half | ` +
        `${yes(soak.growth < 0.1)} | ${soakBound(soak, results.soak.messages)} |`,
    );
  }
  if (results.startup) {
    const source = median(results.startup.source);
    const bundled = median(results.startup.bundle);
    rows.push(
      `| Start-up < 300 ms (process start to consuming) | ${source} ms from source, ` +
        `${bundled} ms bundled | ${yes(Math.min(source, bundled) < 300)} | ` +
        `${startupBound(results.startup)} |`,
    );
  }
  return rows;
}

function boundAt100(cell: CellSummary, cores: number, cells: CellSummary[]): string {
  const concurrencyBound = (cell.concurrency * 1000) / cell.latency;
  if (cell.throughput >= 250) {
    return `${
      ((cell.throughput / concurrencyBound) * 100).toFixed(0)
    }% of the ${concurrencyBound}/s concurrency bound`;
  }
  const overhead = cell.p50 - cell.latency;
  const slotBound = (cell.concurrency * 1000) / cell.p50;
  const wider = cells.find((item) =>
    item.latency === cell.latency && item.concurrency > cell.concurrency
  );
  return `Per-message latency, not CPU (the ${cores} cores would allow ≈ ${
    cpuCeiling(cell, cores).toFixed(0)
  }/s): each message holds its slot for ${cell.p50.toFixed(0)} ms (p50), the ${cell.latency} ms ` +
    `vendor call plus ${overhead.toFixed(0)} ms of steps the protocol puts in order (toReceived ` +
    `with the entity read, addExpectations, ${cell.bundles.toFixed(0)} confirmed publishes, ` +
    `toProcessed, ack), each a round trip to a fake platform or RabbitMQ sharing the cores; ` +
    `${cell.concurrency} slots / ${cell.p50.toFixed(0)} ms ≈ ${slotBound.toFixed(0)}/s. ` +
    `250/s needs ≤ ${((cell.concurrency * 1000) / 250 - cell.latency).toFixed(0)} ms of overhead` +
    (wider
      ? `; with ${wider.concurrency} slots the same connector reaches ${
        wider.throughput.toFixed(0)
      }/s`
      : "");
}

function boundAtZero(cell: CellSummary, cores: number): string {
  const ceiling = cpuCeiling(cell, cores);
  const connectorOnly = (cores * 1000) / cell.cpu;
  return `CPU: connector ${cell.cpu.toFixed(1)} + harness ${cell.harnessCpu.toFixed(1)} + ` +
    `RabbitMQ ${cell.brokerCpu.toFixed(1)} ms per enrichment (${cell.bundles.toFixed(0)} bundles ` +
    `each, pycti's one-object split) on ${cores} shared cores: ceiling ≈ ${
      ceiling.toFixed(0)
    }/s; ` +
    `the connector alone on ${cores} cores would allow ≈ ${connectorOnly.toFixed(0)}/s`;
}

function rssBound(results: BenchResults, soak: SoakFigures): string {
  const idle = results.startup ? median(results.startup.idleRssBundle) : Number.NaN;
  return `Idle (${mb(idle)} bundled) is the Deno runtime and the loaded module graph. Under ` +
    `load the live heap is only ${mb(soak.heapLate)} after each full collection; the rest is ` +
    "the young generation and old-generation slack V8 sizes for speed, about 47 MB of the Deno " +
    "executable's own pages and about 117 KB of native buffers per open HTTP connection (see " +
    "where the resident memory goes); the V8 settings table shows what each setting costs";
}

function soakBound(soak: SoakFigures, messages: number): string {
  const growth = (soak.heapLate - soak.heapEarly) / soak.heapEarly;
  const perMessage = (soak.heapLate - soak.heapEarly) / messages;
  return `The live heap after full collections went from ${mb(soak.heapEarly)} to ${
    mb(soak.heapLate)
  } (${pct(growth)}, ${perMessage.toFixed(0)} bytes per message)` +
    (growth < 0.1
      ? ": the live data is flat; the RSS rise is V8 and the allocator keeping the pages of a " +
        "heap that grew to absorb the load"
      : ": the live data rose; read the per-collection series with bench/cell.ts to tell " +
        "JIT warm-up from a leak");
}

function startupBound(startup: StartupResult): string {
  return `The bare runtime (\`deno eval 0\`) takes ${median(startup.bareRuntime)} ms to start ` +
    "and exit; the rest is loading the module graph, one OpenCTI round trip (about + register) " +
    "and the AMQP handshake";
}

function matrixTable(cells: CellSummary[]): string[] {
  const rows = [
    "## Throughput and latency",
    "",
    "End to end: from the connector starting on a pre-filled queue to the last work reported " +
    "processed; latency per message from `toReceived` to `toProcessed`. Ratios are against the " +
    "concurrency-1 row of the same vendor latency (one message at a time, as pycti works). " +
    "Cells that would take over 20 s at their expected rate ran fewer than 10,000 messages " +
    "(the N column).",
    "",
    "| Vendor latency | Concurrency | N | Enrichments/s | × c=1 | Bound c×1000/latency | p50 ms | p95 ms |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const cell of cells) {
    const base = find(cells, cell.latency, 1);
    const bound = cell.latency > 0
      ? `${((cell.concurrency * 1000) / cell.latency).toFixed(0)}/s`
      : "—";
    rows.push(
      `| ${cell.latency} ms | ${cell.concurrency} | ${cell.messages} | ${
        cell.throughput.toFixed(0)
      } | ` +
        `${base ? ratio(cell, base) : "—"} | ${bound} | ${cell.p50.toFixed(0)} | ${
          cell.p95.toFixed(0)
        } |`,
    );
  }
  return rows;
}

function cpuTable(cells: CellSummary[]): string[] {
  const rows = [
    "## CPU per enrichment at 0 ms vendor latency",
    "",
    "Process CPU seconds (user + system, from /proc) divided by messages. The harness is this " +
    "bench process (fake OpenCTI, fake vendor, fake worker draining the push queue).",
    "",
    "| Concurrency | Connector ms | Harness ms | RabbitMQ ms | Bundles per enrichment | Peak RSS |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const cell of cells.filter((item) => item.latency === 0)) {
    rows.push(
      `| ${cell.concurrency} | ${cell.cpu.toFixed(2)} | ${cell.harnessCpu.toFixed(2)} | ` +
        `${cell.brokerCpu.toFixed(2)} | ${cell.bundles.toFixed(1)} | ${mb(cell.peakRss)} |`,
    );
  }
  return rows;
}

function memorySection(runs: BenchResults["memory"]): string[] {
  const rows = [
    "## Memory against speed: V8 heap settings",
    "",
    "The same load (10,000 messages, concurrency 32, vendor latency 0, one run each) with the " +
    "V8 settings the executable embeds (deno.json `compile` task, also in `dev`), then each " +
    "row's flags on top of them (V8 keeps the last value of a flag; zeros restore V8's own " +
    "sizing). The young generation is two semi-spaces, so `--max-semi-space-size=N` bounds it " +
    "near 2N MB; `--heap-growing-percent=P` sets the old generation's next full collection at " +
    "(1 + P/100) × the live heap instead of up to 4×. Smaller costs CPU: more collections.",
    "",
    "| V8 flags | Enrichments/s | Connector CPU ms/enrichment | Median RSS | Peak RSS |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const { flags, result } of runs) {
    rows.push(
      `| ${flags ? `\`${flags}\`` : "shipped"} | ${result.throughput.toFixed(0)} | ` +
        `${result.cpuMsPerEnrichment.toFixed(2)} | ${mb(median(result.rss.map((s) => s.rss)))} | ` +
        `${mb(result.peakRssBytes)} |`,
    );
  }
  return rows;
}

interface SoakFigures {
  steady: number;
  growth: number;
  early: number;
  late: number;
  heapEarly: number;
  heapLate: number;
  /** Growth from the middle of the run (50-60%) to its end. */
  secondHalfGrowth: number;
}

function soakFigures(soak: CellResult): SoakFigures {
  const window = <T>(samples: T[], from: number, to: number) =>
    samples.slice(Math.floor(samples.length * from), Math.ceil(samples.length * to));
  const rssAt = (from: number, to: number) =>
    median(window(soak.rss, from, to).map((sample) => sample.rss));
  // The live heap after each full collection (V8's --trace-gc), in order.
  const heapAt = (from: number, to: number) => median(window(soak.liveHeap, from, to));
  const early = rssAt(0.1, 0.2);
  const late = rssAt(0.9, 1);
  return {
    steady: rssAt(0.1, 1),
    growth: (late - early) / early,
    early,
    late,
    heapEarly: heapAt(0.1, 0.4),
    heapLate: heapAt(0.7, 1),
    secondHalfGrowth: (late - rssAt(0.5, 0.6)) / rssAt(0.5, 0.6),
  };
}

function soakSection(soak: CellResult): string[] {
  const figures = soakFigures(soak);
  return [
    "## Memory over the soak",
    "",
    `${
      soak.messages.toLocaleString("en")
    } messages at concurrency 32, vendor latency 0, one run: ` +
    `${soak.throughput.toFixed(0)}/s. RSS sampled every 250 ms. The connector ran with ` +
    `\`--v8-flags=--trace-gc\`: the heap left after each of its ${soak.liveHeap.length} full ` +
    "collections is the live data, which a leak would raise.",
    "",
    "| Peak RSS | Steady RSS (median after the first 10%) | RSS at 10-20% | RSS at 90-100% | " +
    "Growth 10-20% → end | Growth 50-60% → end | Live heap, median of full GCs at 10-40% | at 70-100% |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    [
      mb(soak.peakRssBytes),
      mb(figures.steady),
      mb(figures.early),
      mb(figures.late),
      pct(figures.growth),
      pct(figures.secondHalfGrowth),
      mb(figures.heapEarly),
      mb(figures.heapLate),
    ].reduce((row, cell) => `${row} ${cell} |`, "|"),
  ];
}

function startupSection(startup: StartupResult): string[] {
  return [
    "## Start-up",
    "",
    "Spawn to the first 200 on `/readyz` (registered with the fake OpenCTI, connected to " +
    `RabbitMQ, consuming), ${startup.source.length} runs each; RSS read 2 s after ready.`,
    "",
    "| Program | Median ms | Runs (ms) | Idle RSS |",
    "| --- | --- | --- | --- |",
    `| \`main.ts\` from source | ${median(startup.source)} | ${startup.source.join(", ")} | ` +
    `${mb(median(startup.idleRssSource))} |`,
    `| bundled \`dist/opencti-enrich.js\` | ${median(startup.bundle)} | ${
      startup.bundle.join(", ")
    } | ` +
    `${mb(median(startup.idleRssBundle))} |`,
    `| bare runtime, \`deno eval 0\` to exit | ${median(startup.bareRuntime)} | ` +
    `${startup.bareRuntime.join(", ")} | — |`,
  ];
}

function brokerSection(broker: BrokerCeiling, cells: CellSummary[]): string[] {
  const rows = [
    "## The broker's ceiling",
    "",
    `${broker.messages.toLocaleString("en")} persistent ${broker.bodyBytes}-byte messages ` +
    "through lib/broker (the connector's own AMQP wrapper): published pipelined with confirms, " +
    "then consumed with prefetch 500 and acked one by one.",
    "",
    "| Publish-confirm | Consume-ack |",
    "| --- | --- |",
    `| ${broker.publishConfirmPerSecond.toFixed(0)}/s | ${
      broker.consumeAckPerSecond.toFixed(0)
    }/s |`,
  ];
  const best = cells.filter((cell) => cell.latency === 0)
    .reduce<CellSummary | undefined>(
      (a, b) => (!a || b.throughput > a.throughput ? b : a),
      undefined,
    );
  if (best) {
    // Per enrichment the broker confirms B published bundles and delivers B + 1 messages.
    const perEnrichment = best.bundles / broker.publishConfirmPerSecond +
      (best.bundles + 1) / broker.consumeAckPerSecond;
    rows.push(
      "",
      `Each enrichment moves ${best.bundles.toFixed(0)} bundles out and ${
        (best.bundles + 1).toFixed(0)
      } deliveries through RabbitMQ, so the broker alone would cap enrichments near ` +
        `${(1 / perEnrichment).toFixed(0)}/s on this machine; the best cell ran at ` +
        `${best.throughput.toFixed(0)}/s, ${
          ((best.throughput * perEnrichment) * 100).toFixed(0)
        }% ` +
        "of that limit.",
    );
  }
  return rows;
}

function ratio(cell: CellSummary, base: CellSummary): string {
  return `×${(cell.throughput / base.throughput).toFixed(1)}`;
}

function pct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function yes(met: boolean): string {
  return met ? "yes" : "no";
}

function mb(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / MB).toFixed(0)} MB` : "—";
}
