/**
 * Idle memory of the connector: started on an empty queue, read 3 s after it
 * is ready, median of a few runs, from /proc and from inside (bench/memory_probe.ts):
 *
 *   deno run -A bench/idle.ts [RUNS] [--bundle] [--env=K=V] [deno run flags...]
 *
 * `--bundle` starts dist/opencti-enrich.js (`deno task bundle`), the module
 * graph `deno compile` embeds, instead of main.ts.
 *
 * @module
 */

import { freePort } from "../tests/support/ports.ts";
import { startConnector } from "./connector.ts";
import { readProbe } from "./memory_probe.ts";
import { readMemory } from "./proc.ts";
import { median } from "./stats.ts";
import { benchConfig, startWorld } from "./world.ts";

const runs = Number(Deno.args[0] ?? 3);
const env: Record<string, string> = {};
const denoFlags: string[] = [];
let program: "source" | "bundle" = "source";
for (const arg of Deno.args.slice(1)) {
  if (arg === "--bundle") program = "bundle";
  else if (arg.startsWith("--env=")) {
    const [name, ...value] = arg.slice("--env=".length).split("=");
    env[name!] = value.join("=");
  } else denoFlags.push(arg);
}
const MB = 1024 * 1024;
const rows: Array<Record<string, number>> = [];
const world = await startWorld();
try {
  for (let run = 0; run < runs; run++) {
    const connectorId = crypto.randomUUID();
    await world.platform.declare(connectorId);
    const metricsPort = freePort();
    const samplesPath = await Deno.makeTempFile({ suffix: ".jsonl" });
    const connector = await startConnector({
      program,
      metricsPort,
      denoFlags,
      env,
      probe: { samplesPath, intervalMs: 500 },
      config: benchConfig(world, { id: connectorId, vendor: "proofpoint-et", metricsPort }),
    });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const memory = await readMemory(connector.pid);
    await connector.stop();
    await world.platform.delete(connectorId);
    const sample = (await readProbe(samplesPath)).at(-1)!;
    await Deno.remove(samplesPath);
    rows.push({
      rss: memory.rss / MB,
      rssAnon: memory.rssAnon / MB,
      rssFile: memory.rssFile / MB,
      v8Physical: sample.physical / MB,
      youngGen: (sample.spaces["new_space"] ?? 0) / MB,
      oldGen: (sample.spaces["old_space"] ?? 0) / MB,
      external: sample.external / MB,
      nonV8Anon: (memory.rssAnon - sample.physical) / MB,
    });
  }
} finally {
  await world.close();
}
const result: Record<string, number> = {};
for (const key of Object.keys(rows[0]!)) {
  result[key] = Math.round(median(rows.map((row) => row[key]!)) * 10) / 10;
}
// deno-lint-ignore no-console
console.log(JSON.stringify({ runs, program, denoFlags, env, medianMb: result }));
