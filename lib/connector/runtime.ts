/**
 * The connector runtime: for each configured connector instance, register
 * with the platform, connect to the broker the registration names (instances
 * with the same coordinates share one connection), consume the listen queue
 * with prefetch = concurrency, and ping every 40 s. On stop, consuming ends
 * first, in-flight messages get a deadline to finish, and whatever is still
 * unfinished returns to the queue.
 *
 * @module
 */

import type { AppConfig, ConnectorInstanceConfig } from "../config/mod.ts";
import { AppError, OpenCtiError } from "../errors/mod.ts";
import type { HttpObserver, VendorStore } from "../http/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import { VERSION } from "../meta/mod.ts";
import type { VendorModule } from "../vendors/mod.ts";
import { WorkMemory } from "./memory.ts";
import { brokerConnection, type BrokerConnectionSettings, connectionKey } from "./connection.ts";
import type { RuntimeObserver } from "./observer.ts";
import { type Pinger, startPinger } from "./pinger.ts";
import type {
  BrokerPort,
  ConsumerHandle,
  LifecyclePort,
  PlatformPort,
  Registration,
} from "./ports.ts";
import { MessageProcessor } from "./processor.ts";

/** Everything the runtime is built from. */
export interface RuntimeDeps {
  config: AppConfig;
  /** Finds a vendor module by registry name. */
  vendor(name: string): VendorModule;
  api: LifecyclePort & PlatformPort;
  /** Opens a broker connection. */
  connectBroker(settings: BrokerConnectionSettings, name: string): Promise<BrokerPort>;
  /** Why a platform version cannot be served, or undefined when it can. */
  refuseVersion(version: string): string | undefined;
  logger: Logger;
  observer: RuntimeObserver;
  userAgent: string;
  httpObserver?: HttpObserver;
  /** The program's one redactor: work messages sent to the platform pass through it. */
  redactor?: Redactor;
  /** The vendors' answer cache and rate-limit store. */
  store?: VendorStore;
  /** Pause before requeueing a message (default 5 s). */
  requeueDelayMs?: number;
  /** Work ping interval during long enrichments (default 5 min, as pycti). */
  workPingIntervalMs?: number;
  /** Connector ping interval (default 40 s, as pycti). */
  pingIntervalMs?: number;
  /** How long pings may fail before the runtime reports not ready (default 2 min). */
  pingUnhealthyAfterMs?: number;
  /** Aborting it stops start-up at once (start rejects with the signal's reason). */
  signal?: AbortSignal;
  /**
   * False = check mode: register every instance, connect to its broker and
   * verify its listen queue exists, then return without consuming (call
   * `stop()` to release). Default true.
   */
  consume?: boolean;
  /** Told about each start-up step as it succeeds, for `check` and the start log. */
  onStep?: (step: StartStep) => void;
}

/** One start-up step that succeeded. */
export interface StartStep {
  /** What was done. */
  step: "platform" | "register" | "broker" | "queue" | "consuming";
  /** The connector instance's name, for per-instance steps. */
  instance?: string;
  /** One line saying what was found, without secrets. */
  detail: string;
}

interface RunningInstance {
  config: ConnectorInstanceConfig;
  registration: Registration;
  consumer: ConsumerHandle;
  pinger: Pinger;
}

/** A started runtime. */
export class ConnectorRuntime {
  readonly #deps: RuntimeDeps;
  readonly #instances: RunningInstance[] = [];
  readonly #brokers = new Map<string, BrokerPort>();
  /** Broker connections down right now (reconnecting). */
  readonly #disconnected = new Set<BrokerPort>();
  /** Instances whose pings have been failing long enough to endanger the platform's heartbeat. */
  readonly #unhealthyPings = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  readonly #hurry = Promise.withResolvers<false>();
  #stopping: Promise<void> | undefined;
  #started = false;
  /** The platform version found at start-up. */
  platformVersion = "";

  private constructor(deps: RuntimeDeps) {
    this.#deps = deps;
  }

  /** Checks the platform, registers every instance and starts consuming. */
  static async start(deps: RuntimeDeps): Promise<ConnectorRuntime> {
    const runtime = new ConnectorRuntime(deps);
    try {
      await runtime.#start();
    } catch (error) {
      await runtime.stop();
      throw error;
    }
    return runtime;
  }

  /**
   * True while every instance is registered and consuming: started, not
   * stopping, no broker connection down, and every instance's pings getting
   * through (the platform stops sending auto-enrichments to a connector
   * whose heartbeat is older than 5 minutes).
   */
  get ready(): boolean {
    return this.#started && this.#stopping === undefined && this.#disconnected.size === 0 &&
      this.#unhealthyPings.size === 0;
  }

  /** Messages being processed right now. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** The registrations, in configuration order. */
  get registrations(): Registration[] {
    return this.#instances.map((instance) => instance.registration);
  }

  async #start(): Promise<void> {
    const { api, config, logger } = this.#deps;
    // The client's errors already say what failed and why (unreachable, token, licence, TLS).
    const about = await this.#step(api.about());
    const refusal = this.#deps.refuseVersion(about.version);
    if (refusal) {
      throw new OpenCtiError(refusal, { kind: "unsupported_version" });
    }
    this.platformVersion = about.version;
    logger.info("Connected to OpenCTI", { version: about.version, url: config.opencti.url });
    this.#report({ step: "platform", detail: `OpenCTI ${about.version} at ${config.opencti.url}` });
    for (const instance of config.instances) await this.#startInstance(instance);
    this.#started = true;
    if (this.#consuming) this.#deps.observer.readiness(true);
  }

  /** False in check mode. */
  get #consuming(): boolean {
    return this.#deps.consume ?? true;
  }

  /** Awaits a start-up step, ending at once when the start-up signal aborts. */
  #step<T>(pending: Promise<T>): Promise<T> {
    const signal = this.#deps.signal;
    if (!signal) return pending;
    signal.throwIfAborted();
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  #report(step: StartStep): void {
    this.#deps.onStep?.(step);
  }

  async #startInstance(instance: ConnectorInstanceConfig): Promise<void> {
    const { api, config, logger, observer } = this.#deps;
    const log = logger.named(instance.name);
    const vendor = this.#deps.vendor(instance.vendor);
    const settings = config.vendorSettings[vendor.name] ?? {};
    const enricher = vendor.create(settings, {
      logger: log.child(`${vendor.name} api`),
      connectorName: instance.name,
      userAgent: this.#deps.userAgent,
      ...(this.#deps.httpObserver ? { httpObserver: this.#deps.httpObserver } : {}),
      ...(this.#deps.redactor ? { redactor: this.#deps.redactor } : {}),
      ...(this.#deps.store ? { store: this.#deps.store } : {}),
    });
    const registration = await this.#step(api.registerConnector({
      id: instance.id,
      name: instance.name,
      type: instance.type,
      scope: instance.scope,
      auto: instance.auto,
      auto_update: instance.autoUpdate,
      enrichment_resolution: instance.enrichmentResolution,
      only_contextual: instance.onlyContextual,
      playbook_compatible: instance.playbookCompatible,
      listen_callback_uri: null,
      version: VERSION,
      slug: vendor.slug,
    }, { platformVersion: this.platformVersion }));
    log.info("Connector registered", {
      connector_id: registration.id,
      listen: registration.config.listen,
      vendor: vendor.name,
    });
    this.#report({
      step: "register",
      instance: instance.name,
      detail: `registered "${instance.name}" (${registration.id}) with scope ${
        instance.scope.join(",")
      }`,
    });
    const connection = brokerConnection(registration.config.connection, config.mq);
    const broker = await this.#step(this.#broker(connection));
    this.#report({
      step: "broker",
      instance: instance.name,
      detail: `${
        connection.useSsl ? "amqps" : "amqp"
      }://${connection.host}:${connection.port} vhost "${connection.vhost}"`,
    });
    if (!this.#consuming) {
      if (!broker.checkQueue) throw new AppError("This broker adapter cannot check a queue");
      await this.#step(broker.checkQueue(registration.config.listen));
      this.#report({
        step: "queue",
        instance: instance.name,
        detail: `listen queue "${registration.config.listen}" exists`,
      });
      return;
    }
    const processor = new MessageProcessor({
      instance,
      vendor,
      enricher,
      maxTlp: instance.maxTlp,
      push: {
        exchange: registration.config.pushExchange,
        routingKey: registration.config.pushRouting,
        connectorUserId: registration.connectorUserId,
      },
      platform: api,
      publisher: broker,
      logger,
      observer,
      memory: new WorkMemory(),
      ...(this.#deps.redactor ? { redactor: this.#deps.redactor } : {}),
      settings: {
        tlpRefusal: config.runtime.tlpRefusal,
        sendToQueue: config.runtime.sendToQueue,
        requeueDelayMs: this.#deps.requeueDelayMs ?? 5_000,
        workPingIntervalMs: this.#deps.workPingIntervalMs ?? 300_000,
        maxRequeues: config.runtime.maxRequeues,
        deliveryTimeoutMs: config.runtime.deliveryTimeoutMs,
        limits: config.runtime.limits,
      },
    });
    const pinger = startPinger({
      connectorId: registration.id,
      initialState: registration.connectorState,
      queueThreshold: config.runtime.queueThreshold,
      api,
      logger: log,
      observer,
      ...(this.#deps.pingIntervalMs ? { intervalMs: this.#deps.pingIntervalMs } : {}),
      ...(this.#deps.pingUnhealthyAfterMs === undefined
        ? {}
        : { unhealthyAfterMs: this.#deps.pingUnhealthyAfterMs }),
      onHealthChange: (healthy) => {
        if (healthy) this.#unhealthyPings.delete(instance.id);
        else this.#unhealthyPings.add(instance.id);
        observer.readiness(this.ready);
      },
    });
    let consumer: ConsumerHandle;
    try {
      consumer = await broker.consume(
        registration.config.listen,
        { prefetch: config.runtime.concurrency },
        (delivery) => this.#track(processor.handle(delivery, this.#abort.signal)),
      );
    } catch (error) {
      await pinger.stop();
      throw error;
    }
    log.info("Consuming", {
      queue: registration.config.listen,
      concurrency: config.runtime.concurrency,
    });
    this.#report({
      step: "consuming",
      instance: instance.name,
      detail:
        `consuming "${registration.config.listen}" with concurrency ${config.runtime.concurrency}`,
    });
    this.#instances.push({ config: instance, registration, consumer, pinger });
  }

  async #broker(settings: BrokerConnectionSettings): Promise<BrokerPort> {
    const key = connectionKey(settings);
    const existing = this.#brokers.get(key);
    if (existing) return existing;
    const broker = await this.#deps.connectBroker(settings, "opencti-enrich");
    this.#brokers.set(key, broker);
    broker.onConnectionChange?.((connected) => {
      if (connected) this.#disconnected.delete(broker);
      else this.#disconnected.add(broker);
      this.#deps.observer.readiness(this.ready);
    });
    return broker;
  }

  async #track(task: Promise<unknown>): Promise<void> {
    const done = task.then(() => {}, () => {});
    this.#inFlight.add(done);
    try {
      await done;
    } finally {
      this.#inFlight.delete(done);
    }
  }

  /**
   * Stops gracefully: no new messages, in-flight ones get `deadlineMs`
   * (default: the configured shutdown timeout) to finish, then are cancelled
   * and returned to the queue. Idempotent.
   */
  stop(deadlineMs = this.#deps.config.runtime.shutdownTimeoutMs): Promise<void> {
    // A second, impatient stop (deadline 0) ends a grace period already running.
    if (this.#stopping && deadlineMs === 0) this.#hurry.resolve(false);
    this.#stopping ??= this.#stop(deadlineMs);
    return this.#stopping;
  }

  async #stop(deadlineMs: number): Promise<void> {
    const { logger, observer } = this.#deps;
    observer.readiness(false);
    for (const instance of this.#instances) {
      await instance.consumer.cancel().catch((error) =>
        logger.warning("Could not cancel a consumer", { error })
      );
    }
    if (this.#inFlight.size > 0) {
      logger.info("Waiting for in-flight messages", {
        in_flight: this.#inFlight.size,
        deadline_ms: deadlineMs,
      });
      const finished = await Promise.race([
        waitAll(this.#inFlight, deadlineMs),
        this.#hurry.promise,
      ]);
      if (!finished) {
        logger.warning("Shutdown deadline reached; unfinished messages go back to the queue", {
          in_flight: this.#inFlight.size,
        });
        this.#abort.abort(new AppError("Connector shutting down"));
        await waitAll(this.#inFlight, 5_000);
      }
    }
    for (const instance of this.#instances) await instance.pinger.stop();
    for (const broker of this.#brokers.values()) {
      await broker.close().catch((error) =>
        logger.warning("Could not close the broker connection cleanly", { error })
      );
    }
    logger.info("Connector stopped");
  }
}

async function waitAll(tasks: Set<Promise<void>>, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const all = (async () => {
    while (tasks.size > 0) await Promise.all([...tasks]);
    return true as const;
  })();
  try {
    return await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
