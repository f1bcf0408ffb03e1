/**
 * The `run` command: load the configuration, build the connector through the
 * composition root, check each vendor key, start consuming, write one start
 * line, and stop gracefully at the first SIGTERM/SIGINT. During start-up the
 * stop signal ends the step under way at once; once consuming, in-flight
 * messages get `CONNECTOR_SHUTDOWN_TIMEOUT` to finish. (A second signal is
 * `main.ts`'s: it exits at once.)
 *
 * @module
 */

import { type ConnectorDeps, createConnector, isVendorProbeFatal, startLine } from "../app/mod.ts";
import { loadConfig } from "../config/mod.ts";
import { errorMessage } from "../errors/mod.ts";
import { VENDORS } from "../vendors/mod.ts";
import { isStopRequested } from "./signals.ts";

/** Options of {@link runCommand}. */
export interface RunOptions {
  configPath?: string;
  /** Aborted by the first SIGTERM/SIGINT. */
  signal: AbortSignal;
  /** Composition-root overrides (tests). */
  deps?: ConnectorDeps;
}

/** How the run ended: stopped on request, during start-up or after consuming. */
export type RunOutcome = "stopped" | "stopped_during_startup";

/** Runs the connector until the signal aborts; start-up failures are thrown. */
export async function runCommand(options: RunOptions): Promise<RunOutcome> {
  const { signal } = options;
  const config = await loadConfig({
    vendors: options.deps?.vendors ?? VENDORS,
    ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
  });
  const connector = await createConnector(config, { ...options.deps, signal });
  const { logger } = connector;
  try {
    connector.serveMetrics();
    const probes = await connector.probeVendors();
    for (const probe of probes) {
      if (probe.error === undefined) continue;
      if (isVendorProbeFatal(probe.error)) throw probe.error;
      // A vendor that is down or rate-limited now may be back for the first message.
      logger.warning("Cannot check the vendor API key now; starting anyway", {
        vendor: probe.vendor.name,
        reason: errorMessage(probe.error),
      });
    }
    const runtime = await connector.start({ consume: true });
    const line = startLine(config, {
      platformVersion: runtime.platformVersion,
      queues: runtime.registrations.map((registration) => registration.config.listen),
      probes,
    });
    connector.announce(line.message, line.attributes);
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    logger.info("Stopping: no new messages; in-flight messages are finishing", {
      reason: signal.reason instanceof Error ? signal.reason.message : String(signal.reason),
      in_flight: runtime.inFlight,
    });
    await runtime.stop();
    return "stopped";
  } catch (error) {
    if (signal.aborted && isStopRequested(signal.reason)) {
      connector.announce(`${signal.reason.message} during start-up`);
      return "stopped_during_startup";
    }
    throw error;
  } finally {
    await connector.close(0);
  }
}
