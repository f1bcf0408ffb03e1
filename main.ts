/**
 * opencti-enrich: an OpenCTI internal-enrichment connector hosting vendor
 * modules. This file parses the command line, runs the command, and is the
 * only place that turns results and errors into exit codes:
 * 0 success, 1 runtime failure, 2 usage or configuration error.
 *
 * @module
 */

import {
  checkCommand,
  enrichCommand,
  helpText,
  parseCommandLine,
  runCommand,
  schemaCommand,
} from "./lib/cli/mod.ts";
import { AppError, ConfigError, errorMessage, UsageError } from "./lib/errors/mod.ts";
import { PRODUCT, VERSION } from "./lib/meta/mod.ts";

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
  try {
    const command = parseCommandLine(args);
    switch (command.name) {
      case "help":
        out(helpText(command.topic));
        return EXIT.ok;
      case "version":
        out(`${PRODUCT} ${VERSION}`);
        return EXIT.ok;
      case "schema":
        out(schemaCommand(command.vendor));
        return EXIT.ok;
      case "check": {
        const status = await checkCommand({
          offline: command.offline,
          print: out,
          ...(command.configPath === undefined ? {} : { configPath: command.configPath }),
        });
        return status === "ok" ? EXIT.ok : status === "config_error" ? EXIT.usage : EXIT.failure;
      }
      case "enrich": {
        const { configPath, vendor, entityType, value } = command;
        const preview = await enrichCommand({
          entityType,
          value,
          ...(configPath === undefined ? {} : { configPath }),
          ...(vendor === undefined ? {} : { vendor }),
        });
        out(JSON.stringify(preview.bundle, null, 2));
        err(`${preview.outcome}: ${preview.message}`);
        return EXIT.ok;
      }
      case "run":
        await runCommand(
          command.configPath === undefined ? {} : { configPath: command.configPath },
        );
        return EXIT.ok;
    }
  } catch (error) {
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
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
