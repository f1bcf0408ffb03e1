/**
 * `deno task bench`: measures the connector on this machine against the real
 * RabbitMQ, the fake OpenCTI and a fake Silent Push with a set latency, and
 * writes bench/RESULTS.md.
 *
 *   deno task bench [--runs 3] [--only matrix,memory,soak,startup,broker] [--soak 100000]
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
/** V8 settings traded against memory under load (empty: Deno's defaults). */
const V8_MEMORY_SETTINGS = ["", "--max-old-space-size=96", "--optimize-for-size"];
/** The issue's message count per cell. */
const FULL_MESSAGES = 10_000;
/** Cells that would run longer than this at their expected rate are sized down to it. */
const CELL_SECONDS = 20;

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3" },
    only: { type: "string", default: "matrix,memory,soak,startup,broker" },
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
        `V8 ${flags || "defaults"}: ${result.throughput.toFixed(0)}/s, peak RSS ${
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
  memory,
  ...(soak ? { soak } : {}),
  ...(startup ? { startup } : {}),
  ...(broker ? { broker } : {}),
});
await Deno.writeTextFile(values.output, markdown);
say(`wrote ${values.output}`);
