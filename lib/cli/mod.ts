/**
 * The command line and its commands. `main.ts` parses, dispatches and maps
 * the results and errors to exit codes.
 *
 * @module
 */

export { type Command, type CommandName, helpText, parseCommandLine } from "./args.ts";
export { checkCommand, type CheckOptions, type CheckStatus } from "./check.ts";
export { enrichCommand, type EnrichOptions, type EnrichPreview } from "./enrich.ts";
export { entityFrom } from "./observable.ts";
export { runCommand, type RunOptions, type RunOutcome } from "./run.ts";
export { schemaCommand } from "./schema.ts";
export {
  isStopRequested,
  listenForStop,
  signalExitCode,
  StopRequested,
  type StopSignals,
} from "./signals.ts";
export { versionText } from "./version.ts";
