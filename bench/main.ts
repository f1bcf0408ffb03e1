/**
 * `deno task bench`: measures the connector on this machine against the real
 * RabbitMQ, the fake OpenCTI and a fake Silent Push with a set latency, and
 * writes bench/RESULTS.md.
 *
 *   deno task bench [--runs 3] [--only matrix,rss,cache,memory,soak,startup,broker] [--soak 100000]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { measureBrokerCeiling } from "./broker_ceiling.ts";
import { freePort } from "../tests/support/ports.ts";
import { type CellResult, runCell } from "./enrichment_run.ts";
import { machineInfo } from "./machine.ts";
import { renderResults } from "./report.ts";
import { measureStartup } from "./startup.ts";
import { median } from "./stats.ts";
import { startWorld } from "./world.ts";

const LATENCIES = [0, 50, 100];
const CONCURRENCIES = [1, 8, 32, 64];
/**
 * V8 settings traded against memory under load. Every connector starts with
 * the settings the executable embeds (deno.json `compile` task); these come
 * after them and V8 keeps the last value of a flag. Empty: the shipped
 * settings; zeros: V8's own sizing.
 */
const V8_MEMORY_SETTINGS = [
  "",
  "--max-semi-space-size=0,--heap-growing-percent=0",
  "--max-semi-space-size=16",
  "--max-semi-space-size=4",
  "--heap-growing-percent=25",
];
/** The issue's message count per cell. */
const FULL_MESSAGES = 10_000;
/** Cells that would run longer than this at their expected rate are sized down to it. */
const CELL_SECONDS = 20;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3" },
    only: { type: "string", default: "matrix,rss,cache,memory,soak,startup,broker" },
    soak: { type: "string", default: "100000" },
    output: { type: "string", default: new URL("./RESULTS.md", import.meta.url).pathname },
  },
});
const runs = Number(values.runs);
const sections = new Set(values.only.split(","));
const soakMessages = Number(values.soak);

/**
 * Messages for a cell: 10,000 unless that would take over {@link CELL_SECONDS}
 * at the rate the vendor latency allows (c × 1000 / latency; ~90/s one at a
 * time at zero latency, ~600/s otherwise), so the one-at-a-time baselines stay affordable.
 */
function messagesFor(latencyMs: number, concurrency: number): number {
  const expectedRate = latencyMs === 0
    ? (concurrency === 1 ? 90 : 600)
    : Math.min(400, (concurrency * 1000) / latencyMs);
  return Math.min(FULL_MESSAGES, Math.max(200, Math.round(expectedRate * CELL_SECONDS)));
}

function say(message: string): void {
  // deno-lint-ignore no-console
  console.error(message);
}

const machine = await machineInfo();
say(`bench on ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.deno}`);
const world = await startWorld();
const matrix: CellResult[][] = [];
const rss: CellResult[][] = [];
const cache: Array<{ ttl: number; runs: CellResult[] }> = [];
const memory: Array<{ flags: string; result: CellResult }> = [];
let soak: CellResult | undefined;
try {
  if (sections.has("matrix")) {
    for (const latency of LATENCIES) {
      for (const concurrency of CONCURRENCIES) {
        const messages = messagesFor(latency, concurrency);
        const cell: CellResult[] = [];
        for (let run = 1; run <= runs; run++) {
          const result = await runCell(world, {
            messages,
            concurrency,
            vendorLatencyMs: latency,
            metricsPort: freePort(),
          });
          say(
            `latency ${latency} ms, concurrency ${concurrency}, run ${run}/${runs}: ` +
              `${
                result.throughput.toFixed(0)
              }/s, p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, ` +
              `CPU ${result.cpuMsPerEnrichment.toFixed(2)} ms/enrichment`,
          );
          cell.push(result);
        }
        matrix.push(cell);
      }
    }
  }
  if (sections.has("rss")) {
    // Resident memory by concurrency, with the live heap after each full collection beside it.
    for (const latency of [0, 100]) {
      for (const concurrency of CONCURRENCIES) {
        const cell: CellResult[] = [];
        for (let run = 1; run <= runs; run++) {
          const result = await runCell(world, {
            messages: messagesFor(latency, concurrency),
            concurrency,
            vendorLatencyMs: latency,
            metricsPort: freePort(),
            traceGc: true,
          });
          say(
            `RSS at ${latency} ms, concurrency ${concurrency}, run ${run}/${runs}: peak ${
              result.peakRssBytes >> 20
            } MB, ${result.throughput.toFixed(0)}/s`,
          );
          cell.push(result);
        }
        rss.push(cell);
      }
    }
  }
  if (sections.has("cache")) {
    // 10,000 enrichments over 2,000 distinct observables, with the answer cache and without.
    for (const ttl of [3600, 0]) {
      const cell: CellResult[] = [];
      for (let run = 1; run <= runs; run++) {
        const result = await runCell(world, {
          messages: FULL_MESSAGES,
          distinct: 2_000,
          concurrency: 32,
          vendorLatencyMs: 0,
          metricsPort: freePort(),
          cacheTtlSeconds: ttl,
        });
        say(
          `cache TTL ${ttl} s, run ${run}/${runs}: ${
            result.vendorRequestsPerEnrichment.toFixed(3)
          } vendor requests per enrichment, ${result.throughput.toFixed(0)}/s`,
        );
        cell.push(result);
      }
      cache.push({ ttl, runs: cell });
    }
  }
  if (sections.has("memory")) {
    for (const flags of V8_MEMORY_SETTINGS) {
      const result = await runCell(world, {
        messages: FULL_MESSAGES,
        concurrency: 32,
        vendorLatencyMs: 0,
        metricsPort: freePort(),
        denoFlags: flags ? [`--v8-flags=${flags}`] : [],
      });
      say(
        `V8 ${flags || "shipped settings"}: ${result.throughput.toFixed(0)}/s, peak RSS ${
          result.peakRssBytes >> 20
        } MB`,
      );
      memory.push({ flags, result });
    }
  }
  if (sections.has("soak")) {
    say(`soak: ${soakMessages} messages at concurrency 32, vendor latency 0`);
    soak = await runCell(world, {
      messages: soakMessages,
      concurrency: 32,
      vendorLatencyMs: 0,
      metricsPort: freePort(),
      traceGc: true,
      progress: (done) => say(`  soak ${(done * 100).toFixed(0)}%`),
    });
  }
} finally {
  await world.close();
}
const startup = sections.has("startup") ? await measureStartup({ runs: 5 }) : undefined;
if (startup) {
  say(
    `start-up to consuming: source ${median(startup.source)} ms, bundle ${
      median(startup.bundle)
    } ms`,
  );
}
const broker = sections.has("broker")
  ? await measureBrokerCeiling({ messages: 50_000, bodyBytes: 2_000, prefetch: 500 })
  : undefined;
if (broker) {
  say(
    `broker: publish-confirm ${broker.publishConfirmPerSecond.toFixed(0)}/s, ` +
      `consume-ack ${broker.consumeAckPerSecond.toFixed(0)}/s`,
  );
}

const markdown = renderResults({
  command: `deno task bench${Deno.args.length ? ` ${Deno.args.join(" ")}` : ""}`,
  machine,
  runs,
  matrix,
  rss,
  cache,
  memory,
  ...(soak ? { soak } : {}),
  ...(startup ? { startup } : {}),
  ...(broker ? { broker } : {}),
  // Where the resident memory goes: measured by hand (bench/cell.ts, bench/idle.ts), kept as written.
  appendix: await Deno.readTextFile(new URL("./MEMORY.md", import.meta.url)),
});
await Deno.writeTextFile(values.output, markdown);
say(`wrote ${values.output}`);
