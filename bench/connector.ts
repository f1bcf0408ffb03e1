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
  /** Extra `deno run` flags, e.g. `--v8-flags=--prof` to profile. */
  denoFlags?: string[];
  /** Run with `--v8-flags=--trace-gc` and keep its output (live heap after each full GC). */
  traceGc?: boolean;
}

const ROOT = new URL("../", import.meta.url);

/** Writes the config, starts the program and waits until it is consuming. */
export async function startConnector(options: StartOptions): Promise<RunningConnector> {
  const path = await Deno.makeTempFile({ prefix: "opencti-enrich-bench-", suffix: ".yml" });
  await Deno.writeTextFile(path, stringify(options.config));
  const entry = options.program === "bundle" ? "dist/opencti-enrich.js" : "main.ts";
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    cwd: ROOT,
    args: [
      "run",
      // The program's own permissions, as deno.json's dev task grants them.
      ...permissionFlags("dev"),
      ...(options.denoFlags ?? []),
      ...(options.traceGc ? ["--v8-flags=--trace-gc"] : []),
      entry,
      "run",
      "--config",
      path,
    ],
    stdin: "null",
    stdout: options.traceGc ? "piped" : "null",
    stderr: "piped",
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const gcTrace = options.traceGc ? new Response(child.stdout).text() : Promise.resolve("");
  const exited = child.status.then(async (status) => {
    await Deno.remove(path).catch(() => {});
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
