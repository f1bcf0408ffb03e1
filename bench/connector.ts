/**
 * The connector under test, as a separate process started the way an
 * operator starts it (`main.ts run` from source, or the bundled program,
 * with the permission flags of deno.json's dev task), with metrics on so
 * readiness is read from `/readyz`.
 *
 * @module
 */

import { stringify } from "yaml";
import { permissionFlags } from "../tests/support/connector_process.ts";
import { type ProbeOptions, probeSource } from "./memory_probe.ts";

/** Which build of the program to start. */
export type ProgramKind = "source" | "bundle";

/** A running connector. */
export interface RunningConnector {
  readonly pid: number;
  /** Milliseconds from spawn to the first 200 from `/readyz` (registered and consuming). */
  readonly readyAfterMs: number;
  /** SIGTERM, then waits for the exit code (once; later calls share the first). */
  stop(): Promise<number>;
  /** With `traceGc`: V8's GC trace (stdout), complete once the process exited. */
  readonly gcTrace: Promise<string>;
}

/** Options of {@link startConnector}. */
export interface StartOptions {
  config: Record<string, unknown>;
  metricsPort: number;
  program?: ProgramKind;
  /** Give up waiting for readiness after this long. */
  readyTimeoutMs?: number;
  /**
   * Extra `deno run` flags, e.g. `--v8-flags=--prof` to profile. They come
   * after the V8 flags the program ships with ({@link shippedV8Flags}), and
   * V8 keeps the last value given for a flag, so they override them.
   */
  denoFlags?: string[];
  /** Run with `--v8-flags=--trace-gc-nvp` and keep its output (one JSON record per collection). */
  traceGc?: boolean;
  /** Preload the memory probe (bench/memory_probe.ts) with these options. */
  probe?: ProbeOptions;
  /** Extra environment variables (e.g. glibc's `MALLOC_ARENA_MAX`). */
  env?: Record<string, string>;
}

const ROOT = new URL("../", import.meta.url);

/**
 * The V8 flags the executable embeds (`deno compile --v8-flags=…` in the
 * deno.json `compile` task), given to every connector the bench starts, so
 * it measures the memory settings that ship.
 */
export async function shippedV8Flags(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const command = String(config.tasks?.compile?.command ?? "");
  return command.split(/\s+/).filter((part) => part.startsWith("--v8-flags="));
}

/** Writes the config, starts the program and waits until it is consuming. */
export async function startConnector(options: StartOptions): Promise<RunningConnector> {
  const path = await Deno.makeTempFile({ prefix: "opencti-enrich-bench-", suffix: ".yml" });
  await Deno.writeTextFile(path, stringify(options.config));
  const entry = options.program === "bundle" ? "dist/opencti-enrich.js" : "main.ts";
  const probeFlags: string[] = [];
  let probePath: string | undefined;
  if (options.probe) {
    probePath = await Deno.makeTempFile({ prefix: "opencti-enrich-probe-", suffix: ".js" });
    await Deno.writeTextFile(probePath, probeSource(options.probe));
    const written = [
      options.probe.samplesPath,
      options.probe.snapshot?.path,
      options.probe.allocations?.path,
    ].filter(Boolean);
    probeFlags.push(`--preload=${probePath}`, `--allow-write=${written.join(",")}`);
    // node:inspector's Session asks for sys access (no narrower descriptor exists).
    if (options.probe.allocations) probeFlags.push("--allow-sys");
  }
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    cwd: ROOT,
    args: [
      "run",
      // The program's own permissions and V8 settings, as the dev and compile tasks give them.
      ...permissionFlags("dev"),
      ...await shippedV8Flags(),
      ...probeFlags,
      ...(options.denoFlags ?? []),
      ...(options.traceGc ? ["--v8-flags=--trace-gc-nvp"] : []),
      entry,
      "run",
      "--config",
      path,
    ],
    stdin: "null",
    stdout: options.traceGc ? "piped" : "null",
    stderr: "piped",
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      ...options.env,
    },
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const gcTrace = options.traceGc ? new Response(child.stdout).text() : Promise.resolve("");
  const exited = child.status.then(async (status) => {
    await Deno.remove(path).catch(() => {});
    if (probePath) await Deno.remove(probePath).catch(() => {});
    return status.code;
  });
  let exitedEarly = false;
  exited.then(() => exitedEarly = true);
  const deadline = started + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exitedEarly) {
      throw new Error(`The connector exited before it was ready:\n${await stderr}`);
    }
    if (performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The connector was not ready within the timeout:\n${await stderr}`);
    }
    if (await isReady(options.metricsPort)) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const readyAfterMs = performance.now() - started;
  let stopping: Promise<number> | undefined;
  return {
    gcTrace,
    pid: child.pid,
    readyAfterMs,
    stop() {
      stopping ??= (async () => {
        child.kill("SIGTERM");
        const code = await exited;
        await stderr;
        return code;
      })();
      return stopping;
    },
  };
}

async function isReady(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`);
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
