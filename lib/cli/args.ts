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
                  else in the working directory, else the environment only;
                  env vars override it)`;

const EXIT_CODES = `Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error,
130/143 a second SIGINT/SIGTERM ended it at once.`;

const HELP: Record<CommandName, string> = {
  run: `Usage: ${PRODUCT} [run] [--config PATH]

Start the connector: check each vendor API key (one request each), register
with OpenCTI, consume enrichment requests from RabbitMQ, enrich them with the
configured vendor and send STIX back. Writes one start line once consuming.
The first SIGTERM/SIGINT stops it (at once during start-up; after in-flight
messages finish once consuming), exit code 0; a second one exits at once
(130 for SIGINT, 143 for SIGTERM) and unfinished messages return to the queue.

Example: ${PRODUCT} run --config config.yml
         OPENCTI_URL=http://opencti:8080 OPENCTI_TOKEN=... CONNECTOR_ID=<uuid> \\
         SILENTPUSH_API_KEY=... ${PRODUCT}      (the environment only)

Options:
${CONFIG_HELP}
  -h, --help      Show this help`,
  check: `Usage: ${PRODUCT} check [--config PATH] [--offline]

Run every start-up step of 'run' short of consuming, printing one ok/FAIL
line per step with the cause and the fix: the configuration (every problem
at once, CA and TLS files read), each vendor API key (one request), the
platform (reachable, token accepted, version supported), the registration,
the broker, the listen queue. Like 'run', it registers the connector on the
platform. Exits 0 only when every step passes (2 for a configuration problem).

Example: ${PRODUCT} check --offline --config config.yml

Options:
${CONFIG_HELP}
  --offline       Only check the configuration; contact nothing
  -h, --help      Show this help`,
  schema: `Usage: ${PRODUCT} schema [--vendor NAME]

Print the JSON schema of the configuration: of a whole config.yml, or with
--vendor, of one vendor connector keyed by env var (OpenCTI catalog format).

Example: ${PRODUCT} schema --vendor silentpush

Options:
  --vendor NAME   silentpush or proofpoint-et
  -h, --help      Show this help`,
  enrich: `Usage: ${PRODUCT} enrich [--vendor NAME] [--config PATH] TYPE VALUE

Ask the vendor about one observable with the configured API key and print the
STIX bundle the connector would send, without OpenCTI (nothing is sent). TYPE
is a STIX or OpenCTI type (ipv4-addr, IPv6-Addr, domain-name, hostname, url,
file/StixFile with a hash, indicator with a STIX pattern as VALUE); the value
is checked for its type before the vendor is asked.

Example: ${PRODUCT} enrich --vendor silentpush ipv4-addr 1.1.1.1

Options:
  --vendor NAME   silentpush or proofpoint-et (default: the configured vendor)
${CONFIG_HELP}
  -h, --help      Show this help`,
  version: `Usage: ${PRODUCT} version   (or --version)

Print the program's version and the OpenCTI versions it supports.

Example: ${PRODUCT} version`,
  help: `Usage: ${PRODUCT} <command> [options]

An OpenCTI internal-enrichment connector hosting vendor modules
(Silent Push, ProofPoint ET Intelligence).

Commands:
  run       Start the connector (the default command)
              ${PRODUCT} run --config config.yml
  check     Every start-up step short of consuming, one ok/FAIL line each
              ${PRODUCT} check            (registers the connector, as run does)
              ${PRODUCT} check --offline  (the configuration only)
  enrich    Enrich one observable and print the STIX bundle, without OpenCTI
              ${PRODUCT} enrich --vendor silentpush ipv4-addr 1.1.1.1
  schema    Print the configuration's JSON schema
              ${PRODUCT} schema --vendor proofpoint-et
  version   Print the version and the supported OpenCTI versions
              ${PRODUCT} --version
  help      Show help for a command
              ${PRODUCT} help check

Run '${PRODUCT} <command> --help' for a command's options.
${EXIT_CODES}`,
};

/** The help text of a command, or the general help. */
export function helpText(topic: CommandName = "help"): string {
  return HELP[topic];
}

/** Parses `argv` (without the program name). */
export function parseCommandLine(argv: readonly string[]): Command {
  const first = argv[0];
  // Asked of the program rather than of a command: the general help, the version.
  if (argv.length === 1 && (first === "--help" || first === "-h")) return { name: "help" };
  if (argv.length === 1 && (first === "--version" || first === "-V")) return { name: "version" };
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
