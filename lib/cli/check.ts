/**
 * The `check` command: `run`'s start-up steps short of consuming, through the
 * same composition root, one `ok`/`FAIL` line per step with the cause and the
 * fix. `--offline` is the complete configuration check (everything the
 * loader does, files included) and contacts nothing. Online, it says first
 * that it registers the connector on the platform, as `run` does.
 *
 * @module
 */

import { type Connector, type ConnectorDeps, createConnector } from "../app/mod.ts";
import { type AppConfig, describeConfigSource, loadConfig } from "../config/mod.ts";
import { ConfigError, errorMessage, formatConfigIssue } from "../errors/mod.ts";
import { SUPPORTED_PLATFORMS } from "../opencti/mod.ts";
import { VENDORS } from "../vendors/mod.ts";
import { isStopRequested } from "./signals.ts";

/** How `check` ended. */
export type CheckStatus = "ok" | "config_error" | "failed" | "stopped";

/** Options of {@link checkCommand}. */
export interface CheckOptions {
  configPath?: string;
  /** Only validate the configuration. */
  offline: boolean;
  /** Where result lines go. */
  print: (line: string) => void;
  /** The stop signal: a step under way ends at once. */
  signal?: AbortSignal;
  /** Composition-root overrides (tests). */
  deps?: ConnectorDeps;
}

const INDENT = "        ";

/** Runs the checks, printing one line each. */
export async function checkCommand(options: CheckOptions): Promise<CheckStatus> {
  const { print } = options;
  const report = (ok: boolean, step: string, detail: string) =>
    print(`${ok ? "ok  " : "FAIL"}  ${step.padEnd(13)} ${detail}`);
  const fail = (step: string, error: unknown) => {
    if (error instanceof ConfigError) {
      report(false, step, error.message.split("\n")[0]!.replace(/:$/, ""));
      for (const issue of error.issues) print(`${INDENT}- ${formatConfigIssue(issue)}`);
    } else {
      report(false, step, errorMessage(error));
    }
  };
  let config: AppConfig;
  try {
    config = await loadConfig({
      vendors: options.deps?.vendors ?? VENDORS,
      ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    fail("config", error);
    return "config_error";
  }
  const summary = config.instances.map((i) => `"${i.name}" (${i.vendor}, ${i.scope.join(",")})`);
  report(true, "config", `valid (${describeConfigSource(config)}): ${summary.join("; ")}`);
  for (const warning of config.warnings) print(`${INDENT}warning: ${warning}`);
  if (options.offline) return "ok";

  print(
    `Checking as 'run' starts: this asks each vendor one question to test its key, and registers ${
      config.instances.length === 1 ? "the connector" : "each connector"
    } on OpenCTI (as run does) without consuming any message.`,
  );
  const connector = await createConnector(config, {
    ...options.deps,
    ...(options.signal ? { signal: options.signal } : {}),
    // Lines of its own explain each step; the log would repeat them.
    logSink: options.deps?.logSink ?? (() => {}),
  });
  const failures: unknown[] = [];
  try {
    await checkVendors(connector, { report, fail, failures });
    await connector.start({
      consume: false,
      onStep: (step) => report(true, step.step, describeStep(step.step, step.detail)),
    }).catch((error) => {
      failures.push(error);
      if (!isStopRequested(error)) fail(connector.failedStep ?? "platform", error);
    });
  } finally {
    await connector.close(0);
  }
  if (options.signal?.aborted) return "stopped";
  if (failures.some((error) => error instanceof ConfigError)) return "config_error";
  return failures.length === 0 ? "ok" : "failed";
}

async function checkVendors(
  connector: Connector,
  out: {
    report: (ok: boolean, step: string, detail: string) => void;
    fail: (step: string, error: unknown) => void;
    failures: unknown[];
  },
): Promise<void> {
  for (const probe of await connector.probeVendors()) {
    if (probe.error === undefined) {
      out.report(true, probe.vendor.name, `${probe.vendor.title} API key accepted (one request)`);
    } else {
      out.failures.push(probe.error);
      out.fail(probe.vendor.name, probe.error);
    }
  }
}

function describeStep(step: string, detail: string): string {
  return step === "platform" ? `${detail}: supported (${SUPPORTED_PLATFORMS})` : detail;
}
