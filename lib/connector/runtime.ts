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

import { abortable } from "../async/mod.ts";
import type { ConnectorInstanceConfig } from "../config/mod.ts";
import { AppError, OpenCtiError } from "../errors/mod.ts";
import { brokerConnection, type BrokerConnectionSettings, connectionKey } from "./connection.ts";
import { InFlight } from "./in_flight.ts";
import { brokerDetail, createProcessor, registerInput } from "./instance.ts";
import { type Pinger, startPinger } from "./pinger.ts";
import type { BrokerPort, ConsumerHandle, Registration } from "./ports.ts";
import type { RuntimeDeps, StartStep } from "./runtime_deps.ts";

export type { RuntimeDeps, StartStep } from "./runtime_deps.ts";

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
  readonly #inFlight = new InFlight();
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
    return abortable(pending, this.#deps.signal);
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
    const registration = await this.#step(
      api.registerConnector(registerInput(instance, vendor), {
        platformVersion: this.platformVersion,
      }),
    );
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
    this.#report({ step: "broker", instance: instance.name, detail: brokerDetail(connection) });
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
    const processor = createProcessor(this.#deps, {
      instance,
      vendor,
      enricher,
      registration,
      broker,
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
        (delivery) => this.#inFlight.track(processor.handle(delivery, this.#abort.signal)),
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
        this.#inFlight.settled(deadlineMs),
        this.#hurry.promise,
      ]);
      if (!finished) {
        logger.warning("Shutdown deadline reached; unfinished messages go back to the queue", {
          in_flight: this.#inFlight.size,
        });
        this.#abort.abort(new AppError("Connector shutting down"));
        await this.#inFlight.settled(5_000);
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
