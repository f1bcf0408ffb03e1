/**
 * The command line: subcommands, their flags and their help texts, parsed
 * with `node:util` parseArgs. Parsing never exits; a bad command line is a
 * {@link UsageError} that `main.ts` turns into exit code 2.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "../errors/mod.ts";
import { PRODUCT } from "../meta/mod.ts";

/** A parsed command line. */
export type Command =
  | { name: "run"; configPath?: string }
  | { name: "check"; configPath?: string; offline: boolean }
  | { name: "schema"; vendor?: string }
  | { name: "enrich"; configPath?: string; vendor?: string; entityType: string; value: string }
  | { name: "version" }
  | { name: "help"; topic?: CommandName };

/** The subcommands. */
export type CommandName = "run" | "check" | "schema" | "enrich" | "version" | "help";

const COMMANDS: readonly CommandName[] = ["run", "check", "schema", "enrich", "version", "help"];

const CONFIG_HELP = `  --config PATH   YAML config file (default: config.yml next to the binary,
                  else in the working directory; env vars override it)`;

const HELP: Record<CommandName, string> = {
  run: `Usage: ${PRODUCT} [run] [--config PATH]

Start the connector: register with OpenCTI, consume enrichment requests from
RabbitMQ, enrich them with the configured vendor and send STIX back.
SIGTERM/SIGINT stops consuming and lets in-flight messages finish.

Options:
${CONFIG_HELP}
  -h, --help      Show this help`,
  check: `Usage: ${PRODUCT} check [--config PATH] [--offline]

Check everything short of consuming and print one line per check: the
configuration (every problem at once), OpenCTI reachable and the token
accepted, the platform version, the broker, each vendor API key.
Exits 0 only when every check passes (2 for a configuration problem).

Options:
${CONFIG_HELP}
  --offline       Only validate the configuration; contact nothing
  -h, --help      Show this help`,
  schema: `Usage: ${PRODUCT} schema [--vendor NAME]

Print the JSON schema of the configuration: of a whole config.yml, or with
--vendor, of one vendor connector keyed by env var (OpenCTI catalog format).

Options:
  --vendor NAME   silentpush or proofpoint-et
  -h, --help      Show this help`,
  enrich: `Usage: ${PRODUCT} enrich [--vendor NAME] [--config PATH] TYPE VALUE

Ask the vendor about one observable with the configured API key and print the
STIX bundle the connector would send, without OpenCTI. TYPE is an STIX or
OpenCTI type (ipv4-addr, IPv6-Addr, domain-name, hostname, url, file/StixFile
with an MD5, indicator with a STIX pattern as VALUE).

Example: ${PRODUCT} enrich --vendor silentpush ipv4-addr 1.1.1.1

Options:
  --vendor NAME   silentpush or proofpoint-et (default: the configured vendor)
${CONFIG_HELP}
  -h, --help      Show this help`,
  version: `Usage: ${PRODUCT} version

Print the program's version.`,
  help: `Usage: ${PRODUCT} <command> [options]

An OpenCTI internal-enrichment connector hosting vendor modules
(Silent Push, ProofPoint ET Intelligence).

Commands:
  run       Start the connector (default)
  check     Validate the configuration and test every connection
  enrich    Enrich one observable and print the STIX bundle, without OpenCTI
  schema    Print the configuration's JSON schema
  version   Print the version
  help      Show help for a command

Run '${PRODUCT} <command> --help' for a command's options.
Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error.`,
};

/** The help text of a command, or the general help. */
export function helpText(topic: CommandName = "help"): string {
  return HELP[topic];
}

/** Parses `argv` (without the program name). */
export function parseCommandLine(argv: readonly string[]): Command {
  const first = argv[0];
  let name: CommandName = "run";
  let rest = [...argv];
  if (first !== undefined && !first.startsWith("-")) {
    if (!COMMANDS.includes(first as CommandName)) {
      throw new UsageError(`Unknown command "${first}"; run "${PRODUCT} help" for the list`);
    }
    name = first as CommandName;
    rest = rest.slice(1);
  }
  if (name === "help") {
    const topic = rest[0];
    if (topic === undefined) return { name: "help" };
    if (!COMMANDS.includes(topic as CommandName)) {
      throw new UsageError(`Unknown command "${topic}"; run "${PRODUCT} help" for the list`);
    }
    return { name: "help", topic: topic as CommandName };
  }
  const parsed = parseFlags(name, rest);
  if (parsed.values.help) return { name: "help", topic: name };
  const configPath = parsed.values.config;
  const withConfig = typeof configPath === "string" ? { configPath } : {};
  switch (name) {
    case "run":
      expectPositionals(name, parsed.positionals, 0);
      return { name, ...withConfig };
    case "check":
      expectPositionals(name, parsed.positionals, 0);
      return { name, ...withConfig, offline: parsed.values.offline === true };
    case "schema": {
      expectPositionals(name, parsed.positionals, 0);
      const vendor = parsed.values.vendor;
      return typeof vendor === "string" ? { name, vendor } : { name };
    }
    case "enrich": {
      expectPositionals(name, parsed.positionals, 2);
      const [entityType, value] = parsed.positionals as [string, string];
      const vendor = parsed.values.vendor;
      return {
        name,
        ...withConfig,
        ...(typeof vendor === "string" ? { vendor } : {}),
        entityType,
        value,
      };
    }
    case "version":
      expectPositionals(name, parsed.positionals, 0);
      return { name };
  }
}

function parseFlags(name: CommandName, args: string[]) {
  const options: Record<string, { type: "boolean" | "string"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  if (name === "run" || name === "check" || name === "enrich") options.config = { type: "string" };
  if (name === "check") options.offline = { type: "boolean" };
  if (name === "schema" || name === "enrich") options.vendor = { type: "string" };
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split(".")[0] : String(error);
    throw new UsageError(`${reason}; run "${PRODUCT} ${name} --help"`, { cause: error });
  }
}

function expectPositionals(name: CommandName, positionals: string[], count: number): void {
  if (positionals.length === count) return;
  const wanted = count === 0 ? "no arguments" : `${count} arguments`;
  throw new UsageError(
    `"${name}" takes ${wanted}, got ${positionals.length}; run "${PRODUCT} ${name} --help"`,
  );
}
