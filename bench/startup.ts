/**
 * Start-up time: from spawning the program to its first 200 on `/readyz`
 * (registered with the fake OpenCTI, connected to RabbitMQ, consuming), for
 * the source run and the bundled program deno compile embeds, with the idle
 * RSS once ready and, for scale, how long the bare runtime takes to start
 * and exit.
 *
 * @module
 */

import { freePort } from "../tests/support/ports.ts";
import { startConnector } from "./connector.ts";
import { readMemory } from "./proc.ts";
import { benchConfig, startWorld } from "./world.ts";

/** Milliseconds and bytes, one entry per run. */
export interface StartupResult {
  source: number[];
  bundle: number[];
  idleRssSource: number[];
  idleRssBundle: number[];
  /** `deno eval 0`, spawn to exit. */
  bareRuntime: number[];
}

const ROOT = new URL("../", import.meta.url);

/** Starts each program `runs` times on an empty queue. */
export async function measureStartup(options: { runs: number }): Promise<StartupResult> {
  await bundle();
  const result: StartupResult = {
    source: [],
    bundle: [],
    idleRssSource: [],
    idleRssBundle: [],
    bareRuntime: [],
  };
  const world = await startWorld();
  try {
    for (let run = 0; run < options.runs; run++) {
      for (const program of ["source", "bundle"] as const) {
        const connectorId = crypto.randomUUID();
        await world.platform.declare(connectorId);
        const metricsPort = freePort();
        const connector = await startConnector({
          program,
          metricsPort,
          config: benchConfig(world, { id: connectorId, vendor: "silentpush", metricsPort }),
        });
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const memory = await readMemory(connector.pid);
        await connector.stop();
        await world.platform.delete(connectorId);
        result[program].push(Math.round(connector.readyAfterMs));
        (program === "source" ? result.idleRssSource : result.idleRssBundle).push(memory.rss);
      }
      const started = performance.now();
      await new Deno.Command(Deno.execPath(), { args: ["eval", "0"], stdout: "null" }).output();
      result.bareRuntime.push(Math.round(performance.now() - started));
    }
  } finally {
    await world.close();
  }
  return result;
}

async function bundle(): Promise<void> {
  const output = await new Deno.Command(Deno.execPath(), {
    cwd: ROOT,
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "deno",
      "--output",
      "dist/opencti-enrich.js",
      "main.ts",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`deno bundle failed:\n${new TextDecoder().decode(output.stderr)}`);
  }
}
