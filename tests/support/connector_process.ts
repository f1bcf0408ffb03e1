/**
 * The program as a separate process, started the way an operator starts it:
 * `main.ts` with exactly the permission flags of the deno.json `dev` task
 * (read from deno.json, never restated), a clean environment, and a
 * config.yml when one is given. For scenarios that need real signals,
 * SIGTERM, SIGKILL, restarts and replicas, and for the operator tests that
 * assert what the program prints. Its stderr (the JSON log) is kept.
 *
 * @module
 */

import { stringify } from "yaml";
import denoJson from "../../deno.json" with { type: "json" };

const ROOT = new URL("../../", import.meta.url);

/** The tasks that carry the program's permission flags. */
export type PermissionTask = "dev" | "compile";

/** The permission flags of a deno.json task (everything between `deno run`/`deno compile` and the entry point). */
export function permissionFlags(task: PermissionTask = "dev"): string[] {
  const command = denoJson.tasks[task].command;
  const words = command.split(/\s+/).filter((word) => word !== "");
  const flags: string[] = [];
  for (let index = 2; index < words.length; index++) {
    const word = words[index]!;
    if (word === "--output") {
      index += 1;
      continue;
    }
    if (!word.startsWith("--")) break;
    flags.push(word);
  }
  return flags;
}

/** The env var patterns `--allow-env=` of a task allows (`PREFIX_*` or exact names). */
export function allowedEnvPatterns(task: PermissionTask = "dev"): string[] {
  const flag = permissionFlags(task).find((item) => item.startsWith("--allow-env="));
  return flag ? flag.slice("--allow-env=".length).split(",") : [];
}

/** The environment a child sees: PATH and HOME, plus `env`. */
export function childEnv(env: Record<string, string> = {}): Record<string, string> {
  return { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", ...env };
}

/** `deno run` arguments for the program: the dev task's flags, then `entry` and `args`. */
export function programArgs(args: readonly string[], entry = "main.ts"): string[] {
  return ["run", "--quiet", ...permissionFlags("dev"), entry, ...args];
}

/** Writes a config document to a temporary config.yml; the caller removes it. */
export async function writeConfigFile(config: Record<string, unknown>): Promise<string> {
  const path = await Deno.makeTempFile({ prefix: "opencti-enrich-", suffix: ".yml" });
  await Deno.writeTextFile(path, stringify(config));
  return path;
}

/** How a finished program run ended. */
export interface ProgramResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the program to its end with `args` and a clean environment (plus
 * `env`); after `timeoutMs` (default 60 s) it is killed and the result says
 * so in `timedOut`.
 */
export async function runProgram(
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ProgramResult & { timedOut: boolean }> {
  const child = new Deno.Command(Deno.execPath(), {
    cwd: ROOT,
    args: programArgs(args),
    clearEnv: true,
    env: childEnv(options.env),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 60_000);
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      timedOut,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** A running connector process. */
export interface ConnectorProcess {
  /** Log lines (stderr) written so far. */
  readonly logs: string[];
  /** Sends a signal. */
  kill(signal: Deno.Signal): void;
  /** Resolves with the exit code. */
  readonly exited: Promise<number>;
  /** Resolves once the connector is consuming (its start line, or the `Consuming` log line). */
  readonly consuming: Promise<void>;
}

/** Options of {@link startConnectorProcess}. */
export interface ConnectorProcessOptions {
  /** Env vars the program sees (besides PATH and HOME). */
  env?: Record<string, string>;
  /** The command line; default `run` (with `--config` when a config is given). */
  args?: string[];
}

/** Starts `main.ts run` on `config` (written to a temporary config.yml), or on env vars alone when it is undefined. */
export async function startConnectorProcess(
  config: Record<string, unknown> | undefined,
  options: ConnectorProcessOptions = {},
): Promise<ConnectorProcess> {
  const path = config === undefined ? undefined : await writeConfigFile(config);
  const args = options.args ?? ["run", ...(path === undefined ? [] : ["--config", path])];
  const child = new Deno.Command(Deno.execPath(), {
    cwd: ROOT,
    args: programArgs(args),
    clearEnv: true,
    env: childEnv(options.env),
    stdout: "null",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  const logs: string[] = [];
  const consuming = Promise.withResolvers<void>();
  const reading = (async () => {
    let buffer = "";
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        logs.push(line);
        if (line.includes('"message":"Consuming"') || line.includes(" started against OpenCTI ")) {
          consuming.resolve();
        }
      }
    }
    if (buffer !== "") logs.push(buffer);
  })();
  const exited = (async () => {
    const status = await child.status;
    await reading;
    if (path !== undefined) await Deno.remove(path).catch(() => {});
    consuming.reject(
      new Error(`Connector exited with ${status.code} before consuming:\n${logs.join("\n")}`),
    );
    return status.code;
  })();
  consuming.promise.catch(() => {});
  return { logs, kill: (signal) => child.kill(signal), exited, consuming: consuming.promise };
}
