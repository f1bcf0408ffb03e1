/**
 * opencti-enrich: an OpenCTI internal-enrichment connector hosting vendor
 * modules. This file parses the command line, runs the command, and is the
 * only place that turns results and errors into exit codes:
 * 0 success (and a requested stop), 1 runtime failure, 2 usage or
 * configuration problem, 130/143 a second SIGINT/SIGTERM ended it at once.
 *
 * @module
 */

import {
  checkCommand,
  enrichCommand,
  helpText,
  isStopRequested,
  listenForStop,
  parseCommandLine,
  runCommand,
  schemaCommand,
  signalExitCode,
  type StopSignals,
  versionText,
} from "./lib/cli/mod.ts";
import { AppError, ConfigError, errorMessage, UsageError } from "./lib/errors/mod.ts";

/** Exit codes. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

const encoder = new TextEncoder();

function out(text: string): void {
  Deno.stdout.writeSync(encoder.encode(text.endsWith("\n") ? text : `${text}\n`));
}

function err(text: string): void {
  Deno.stderr.writeSync(encoder.encode(text.endsWith("\n") ? text : `${text}\n`));
}

/** Runs the program with `args` and returns its exit code. */
export async function main(args: readonly string[]): Promise<number> {
  let stop: StopSignals | undefined;
  try {
    const command = parseCommandLine(args);
    switch (command.name) {
      case "help":
        out(helpText(command.topic));
        return EXIT.ok;
      case "version":
        out(versionText());
        return EXIT.ok;
      case "schema":
        out(schemaCommand(command.vendor));
        return EXIT.ok;
      case "check": {
        stop = watchSignals();
        const status = await checkCommand({
          offline: command.offline,
          print: out,
          signal: stop.signal,
          ...(command.configPath === undefined ? {} : { configPath: command.configPath }),
        });
        if (status === "stopped") return stoppedExit(stop);
        return status === "ok" ? EXIT.ok : status === "config_error" ? EXIT.usage : EXIT.failure;
      }
      case "enrich": {
        const { configPath, vendor, entityType, value } = command;
        stop = watchSignals();
        const preview = await enrichCommand({
          entityType,
          value,
          signal: stop.signal,
          ...(configPath === undefined ? {} : { configPath }),
          ...(vendor === undefined ? {} : { vendor }),
        });
        out(JSON.stringify(preview.bundle, null, 2));
        err(preview.summary);
        return EXIT.ok;
      }
      case "run":
        stop = watchSignals();
        // A stop asked for by the operator is a success, during start-up too.
        await runCommand({
          signal: stop.signal,
          ...(command.configPath === undefined ? {} : { configPath: command.configPath }),
        });
        return EXIT.ok;
      default:
        return unknownCommand(command);
    }
  } catch (error) {
    if (stop?.signal.aborted && isStopRequested(stop.signal.reason)) return stoppedExit(stop);
    if (error instanceof UsageError || error instanceof ConfigError) {
      err(error.message);
      return EXIT.usage;
    }
    if (error instanceof AppError) {
      err(`Error: ${error.message}`);
      return EXIT.failure;
    }
    err(`Unexpected error: ${errorMessage(error)}`);
    if (error instanceof Error && error.stack) err(error.stack);
    return EXIT.failure;
  } finally {
    stop?.[Symbol.dispose]();
  }
}

function unknownCommand(command: never): never {
  throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
}

/** Listens for SIGTERM/SIGINT: the first stops the command, a second ends the process at once. */
function watchSignals(): StopSignals {
  const stop = listenForStop();
  stop.onSecond((signal) => {
    err(`Second ${signal}: exiting now; unacknowledged messages return to the queue`);
    Deno.exit(signalExitCode(signal));
  });
  return stop;
}

/** A one-shot command (check, enrich) stopped by a signal did not finish: 128 + the signal. */
async function stoppedExit(stop: StopSignals): Promise<number> {
  const signal = await stop.first;
  err(`Stopped by ${signal}`);
  return signalExitCode(signal);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
