/**
 * The `run` command: wire the configuration, the OpenCTI client, the broker,
 * the vendor modules and the metrics listener into a running connector, and
 * stop it gracefully on SIGTERM/SIGINT (a second signal cuts the grace
 * period short).
 *
 * @module
 */

import { connectBroker } from "../broker/mod.ts";
import { ConnectorRuntime } from "../connector/mod.ts";
import { ConnectorMetrics, type MetricsServer, startMetricsServer } from "../metrics/mod.ts";
import { USER_AGENT } from "../meta/mod.ts";
import { createOpenCtiClient, isTestedVersion, refuseVersion } from "../opencti/mod.ts";
import { vendorModule } from "../vendors/mod.ts";
import { setup } from "./setup.ts";

/** Options of {@link runCommand}. */
export interface RunOptions {
  configPath?: string;
  /** Resolves when the connector should stop; default: the first SIGTERM/SIGINT. */
  stopSignal?: Promise<unknown>;
}

/** Runs the connector until it is told to stop. Start-up failures are thrown. */
export async function runCommand(options: RunOptions): Promise<void> {
  const { config, logger, redactor } = await setup(options.configPath);
  const metrics = new ConnectorMetrics({
    namespace: config.runtime.metrics.namespace,
    subsystem: config.runtime.metrics.subsystem,
  });
  const api = createOpenCtiClient({
    url: config.opencti.url,
    token: config.opencti.token,
    userAgent: USER_AGENT,
    logger: logger.child("api"),
    sslVerify: config.opencti.sslVerify,
    ...(config.opencti.customHeaders ? { customHeaders: config.opencti.customHeaders } : {}),
  });
  let runtime: ConnectorRuntime | undefined;
  let server: MetricsServer | undefined;
  if (config.runtime.metrics.enabled) {
    server = startMetricsServer({
      port: config.runtime.metrics.port,
      metrics: () => metrics.render(),
      ready: () => runtime?.ready ?? false,
    });
    logger.info("Metrics and health listener started", { port: server.port });
  }
  const signals: StopSignals = options.stopSignal
    ? { promise: options.stopSignal }
    : nextSignal((message) => logger.warning(message));
  try {
    runtime = await ConnectorRuntime.start({
      config,
      vendor: vendorModule,
      api,
      connectBroker: (settings, name) => {
        redactor.add(settings.pass, settings.tls?.passphrase, settings.tls?.key);
        return connectBroker({
          ...settings,
          name,
          logger: logger.child("broker"),
          observer: { reconnect: () => metrics.brokerReconnect() },
        });
      },
      refuseVersion: (version) => {
        const refusal = refuseVersion(version);
        if (!refusal && !isTestedVersion(version)) {
          logger.warning("OpenCTI version is newer than the tested 6.8.x", { version });
        }
        return refusal;
      },
      logger,
      observer: metrics,
      userAgent: USER_AGENT,
      httpObserver: {
        request: (vendor, outcome) => metrics.vendorRequest(vendor, outcome),
        retry: (vendor) => metrics.vendorRetry(vendor),
      },
    });
    await signals.promise;
    logger.info("Stopping: no new messages; in-flight messages are finishing", {
      in_flight: runtime.inFlight,
    });
    // A second signal ends the grace period: in-flight messages go back to the queue.
    const running = runtime;
    signals.next?.then(() => running.stop(0)).catch(() => {});
    await running.stop();
  } finally {
    signals.dispose?.();
    await runtime?.stop(0);
    await server?.close();
    api.close();
  }
}

interface StopSignals {
  promise: Promise<unknown>;
  next?: Promise<unknown>;
  dispose?: () => void;
}

/** The first SIGTERM/SIGINT starts a graceful stop; a second one ends the grace period. */
function nextSignal(warn: (message: string) => void): StopSignals {
  let count = 0;
  let first!: () => void;
  let second!: () => void;
  const promise = new Promise<void>((resolve) => (first = resolve));
  const next = new Promise<void>((resolve) => (second = resolve));
  const handler = () => {
    count += 1;
    if (count === 1) first();
    else {
      warn("Second signal: unfinished messages go back to the queue now");
      second();
    }
  };
  const names: Deno.Signal[] = ["SIGTERM", "SIGINT"];
  for (const name of names) Deno.addSignalListener(name, handler);
  return {
    promise,
    next,
    dispose: () => names.forEach((name) => Deno.removeSignalListener(name, handler)),
  };
}
