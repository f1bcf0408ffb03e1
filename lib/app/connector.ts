/**
 * The composition root: one function builds everything a connector process
 * runs from a loaded configuration — the redactor (every secret of the
 * configuration registered once), the logger, the metrics, the vendor store,
 * the OpenCTI client, the broker connector and the runtime. `run`, `check`,
 * the test harness, the bench and the sandbox all go through it, so the
 * wiring exists once.
 *
 * Logging: one logger name per connector instance, the connector's name, as
 * pycti users filter on `name`; sub-components (`opencti`, `broker`, `store`,
 * `metrics`) are an attribute (`component`), never another name.
 *
 * @module
 */

import { connectBroker } from "../broker/mod.ts";
import type { AppConfig, ConnectorInstanceConfig } from "../config/mod.ts";
import {
  type BrokerConnectionSettings,
  ConnectorRuntime,
  type RuntimeDeps,
  type StartStep,
} from "../connector/mod.ts";
import type { HttpObserver, VendorStore } from "../http/mod.ts";
import {
  createLogger,
  type Logger,
  type LogLevel,
  type LogSink,
  SecretRedactor,
} from "../log/mod.ts";
import { USER_AGENT } from "../meta/mod.ts";
import { ConnectorMetrics, type MetricsServer, startMetricsServer } from "../metrics/mod.ts";
import {
  createOpenCtiClient,
  type OpenCtiClient,
  refuseVersion,
  type RetryPolicy,
} from "../opencti/mod.ts";
import { createVendorStore } from "../store/mod.ts";
import { type VendorModule, VENDORS } from "../vendors/mod.ts";
import { startupFailure, type StartupStepName } from "./failures.ts";
import { openCtiClientOptions } from "./_platform.ts";
import { probeVendors, type VendorProbe } from "./vendor_probe.ts";

/** Makes the vendor answer cache and rate-limit store (lib/store's `createVendorStore`). */
export type CreateVendorStore = (options: {
  url?: string;
  maxEntries: number;
  maxBytes: number;
  logger: Logger;
  redactor: SecretRedactor;
}) => Promise<VendorStore>;

/** What {@link createConnector} takes besides the configuration; every field has a production default. */
export interface ConnectorDeps {
  /** The vendor modules of this build; default the registry. */
  vendors?: readonly VendorModule[];
  /** Where log lines go; default stderr. */
  logSink?: LogSink;
  /** Overrides the configured log level (tests log everything). */
  logLevel?: LogLevel;
  /** The process's stop signal: until start-up is done, its calls, retry pauses and probes end at once when it aborts. */
  signal?: AbortSignal;
  /** Overrides the platform client's retry pauses (tests make them short). */
  openCtiRetry?: Partial<RetryPolicy>;
  /** Overrides the broker's reconnection backoff (tests make it short). */
  brokerReconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Runtime pacing (tests make it fast). */
  pacing?: Pick<RuntimeDeps, "requeueDelayMs" | "pingIntervalMs" | "workPingIntervalMs">;
  /** Makes the vendor store; default lib/store's (in memory, or Redis with `CONNECTOR_CACHE_URL`). */
  createVendorStore?: CreateVendorStore;
  /** `User-Agent` of every request; default `opencti-enrich/<version>`. */
  userAgent?: string;
}

/** Options of {@link Connector.start}. */
export interface StartOptions {
  /** False = check mode: register, connect, verify each listen queue, return without consuming. */
  consume: boolean;
  /** Told about each start-up step as it succeeds. */
  onStep?: (step: StartStep) => void;
}

/** A built connector process: its parts, and the start-up steps `run` and `check` share. */
export interface Connector extends AsyncDisposable {
  readonly config: AppConfig;
  /** The process's logger (named after the connector when there is one instance). */
  readonly logger: Logger;
  /** The one redactor: every secret of the configuration, and the broker password once known. */
  readonly redactor: SecretRedactor;
  readonly metrics: ConnectorMetrics;
  readonly api: OpenCtiClient;
  /** The vendors' answer cache and rate-limit store. */
  readonly store: VendorStore;
  /** The runtime, once {@link start} succeeded. */
  readonly runtime: ConnectorRuntime | undefined;
  /** Finds a vendor module by registry name. */
  vendor(name: string): VendorModule;
  /** Checks each vendor's API key with one request; failures are returned, not thrown. */
  probeVendors(): Promise<VendorProbe[]>;
  /** Starts the metrics and health listener when enabled; a busy port is a `ConfigError`. */
  serveMetrics(): MetricsServer | undefined;
  /** Registers, connects and (unless check mode) consumes; failures say which setting to change. */
  start(options: StartOptions): Promise<ConnectorRuntime>;
  /** The step that was under way when {@link start} failed. */
  readonly failedStep: StartupStepName | undefined;
  /** Writes one line at INFO whatever the configured level (the start line). */
  announce(message: string, attributes?: Record<string, unknown>): void;
  /** Stops the runtime (in-flight messages get `deadlineMs`), the listener, the store and the client. */
  close(deadlineMs?: number): Promise<void>;
}

/** Builds a connector process from a loaded configuration. */
export async function createConnector(
  config: AppConfig,
  deps: ConnectorDeps = {},
): Promise<Connector> {
  const vendors = deps.vendors ?? VENDORS;
  const userAgent = deps.userAgent ?? USER_AGENT;
  const redactor = new SecretRedactor();
  redactor.add(...config.secrets);
  const logger = createLogger({
    name: processName(config.instances),
    level: deps.logLevel ?? config.runtime.logLevel,
    json: config.opencti.jsonLogging,
    redactor,
    ...(deps.logSink ? { sink: deps.logSink } : {}),
  });
  // pycti's default level is error, so at the default level nothing at all would say the
  // connector started; the start line is written at INFO (not ERROR, which would page
  // whoever alerts on errors) regardless of the level, in the same format and name.
  const announcer = createLogger({
    name: processName(config.instances),
    level: "debug",
    json: config.opencti.jsonLogging,
    redactor,
    ...(deps.logSink ? { sink: deps.logSink } : {}),
  });
  for (const warning of config.warnings) logger.warning(warning);
  // The stop signal ends start-up at once; once consuming, a stop is graceful and the
  // platform calls of in-flight messages must go on, so only start-up follows it.
  const startup = new AbortController();
  const followStop = () => startup.abort(deps.signal?.reason);
  if (deps.signal?.aborted) followStop();
  deps.signal?.addEventListener("abort", followStop, { once: true });
  const metrics = new ConnectorMetrics({
    namespace: config.runtime.metrics.namespace,
    subsystem: config.runtime.metrics.subsystem,
  });
  const store = await (deps.createVendorStore ?? createVendorStore)({
    ...config.runtime.cache,
    logger: logger.child("store"),
    redactor,
  });
  const api = createOpenCtiClient(openCtiClientOptions(config, {
    logger: logger.child("opencti"),
    redactor,
    userAgent,
    signal: startup.signal,
    ...(deps.openCtiRetry ? { retry: deps.openCtiRetry } : {}),
  }));
  const find = (name: string): VendorModule => {
    const vendor = vendors.find((item) => item.name === name);
    // The loader only accepts vendors of the registry it was given.
    if (!vendor) throw new RangeError(`No vendor module "${name}" in this build`);
    return vendor;
  };
  const httpObserver: HttpObserver = {
    request: (vendor, outcome) => metrics.vendorRequest(vendor, outcome),
    retry: (vendor) => metrics.vendorRetry(vendor),
    cache: (vendor, hit) => metrics.vendorCache(vendor, hit),
    rateLimited: (vendor, ms) => metrics.vendorRateLimited(vendor, ms),
  };
  let runtime: ConnectorRuntime | undefined;
  let server: MetricsServer | undefined;
  let failedStep: StartupStepName | undefined;
  let closed: Promise<void> | undefined;

  const connector: Connector = {
    config,
    logger,
    redactor,
    metrics,
    api,
    store,
    get runtime() {
      return runtime;
    },
    get failedStep() {
      return failedStep;
    },
    vendor: find,
    announce: (message, attributes) => announcer.info(message, attributes),
    probeVendors: () =>
      probeVendors(config, {
        vendor: find,
        logger,
        redactor,
        userAgent,
        store,
        httpObserver,
        signal: startup.signal,
      }),
    serveMetrics() {
      const { enabled, host, port } = config.runtime.metrics;
      if (!enabled || server) return server;
      // A busy port or an address it cannot bind is a ConfigError naming the setting.
      server = startMetricsServer({
        port,
        host,
        metrics: () => metrics.render(),
        ready: () => runtime?.ready ?? false,
      });
      logger.child("metrics").info("Metrics and health listener started", { host, port });
      return server;
    },
    async start(options) {
      let step: StartupStepName = "platform";
      try {
        runtime = await ConnectorRuntime.start({
          config,
          vendor: find,
          api,
          connectBroker: (settings, name) => brokerFor(settings, name),
          refuseVersion,
          logger,
          observer: metrics,
          userAgent,
          httpObserver,
          redactor,
          store,
          ...deps.pacing,
          signal: startup.signal,
          consume: options.consume,
          onStep: (done) => {
            step = nextStep(done.step, options.consume);
            options.onStep?.(done);
          },
        });
        deps.signal?.removeEventListener("abort", followStop);
        return runtime;
      } catch (error) {
        failedStep = step;
        throw startupFailure(error, step);
      }
    },
    close(deadlineMs = 5_000) {
      closed ??= (async () => {
        await runtime?.stop(deadlineMs);
        await server?.close();
        deps.signal?.removeEventListener("abort", followStop);
        await store.close();
        await api.close();
      })();
      return closed;
    },
    [Symbol.asyncDispose]() {
      return connector.close();
    },
  };

  function brokerFor(settings: BrokerConnectionSettings, name: string) {
    // The registration hands out the broker password: masked from here on.
    redactor.add(settings.pass, settings.tls?.passphrase, settings.tls?.key);
    return connectBroker({
      ...settings,
      name,
      logger: logger.child("broker"),
      observer: { reconnect: () => metrics.brokerReconnect() },
      ...(deps.brokerReconnect ? { reconnect: deps.brokerReconnect } : {}),
    });
  }

  return connector;
}

/** The process's logger name: the connector's name when it runs one, else the product's. */
function processName(instances: readonly ConnectorInstanceConfig[]): string {
  return instances.length === 1 ? instances[0]!.name : "opencti-enrich";
}

/** The step under way after `done` succeeded. */
function nextStep(done: StartStep["step"], consume: boolean): StartupStepName {
  switch (done) {
    case "platform":
    case "consuming":
    case "queue":
      return "register";
    case "register":
      return "broker";
    case "broker":
      return consume ? "consuming" : "queue";
  }
}
