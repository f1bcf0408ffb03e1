/**
 * The connector as a separate process (`main.ts run`), for the scenarios
 * that need real signals: SIGTERM, SIGKILL, restarts and replicas. Its
 * stderr (the JSON log) is kept for assertions.
 *
 * @module
 */

import { stringify } from "yaml";

/** A running connector process. */
export interface ConnectorProcess {
  /** Log lines written so far. */
  readonly logs: string[];
  /** Sends a signal. */
  kill(signal: Deno.Signal): void;
  /** Resolves with the exit code. */
  readonly exited: Promise<number>;
  /** Resolves once the connector logs that it is consuming. */
  readonly consuming: Promise<void>;
}

/** Writes `config` to a temporary config.yml and starts `main.ts run` on it. */
export async function startConnectorProcess(
  config: Record<string, unknown>,
): Promise<ConnectorProcess> {
  const path = await Deno.makeTempFile({ prefix: "opencti-enrich-", suffix: ".yml" });
  await Deno.writeTextFile(path, stringify(config));
  const child = new Deno.Command(Deno.execPath(), {
    cwd: new URL("../../", import.meta.url),
    args: [
      "run",
      "--allow-net",
      "--allow-env=OPENCTI_*,CONNECTOR_*,MQ_*,SILENTPUSH_*,PROOFPOINT_ET_INTELLIGENCE_*",
      "--ignore-env",
      `--allow-read=${path}`,
      "main.ts",
      "run",
      "--config",
      path,
    ],
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
        if (line.includes('"message":"Consuming"')) consuming.resolve();
      }
    }
  })();
  const exited = (async () => {
    const status = await child.status;
    await reading;
    await Deno.remove(path).catch(() => {});
    consuming.reject(
      new Error(`Connector exited with ${status.code} before consuming:\n${logs.join("\n")}`),
    );
    return status.code;
  })();
  consuming.promise.catch(() => {});
  return { logs, kill: (signal) => child.kill(signal), exited, consuming: consuming.promise };
}
