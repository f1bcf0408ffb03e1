/**
 * What the connector runtime is built from, and the start-up steps it
 * reports as they succeed (for `check` and the start log).
 *
 * @module
 */

import type { AppConfig } from "../config/mod.ts";
import type { HttpObserver, VendorStore } from "../http/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import type { VendorModule } from "../vendors/mod.ts";
import type { BrokerConnectionSettings } from "./connection.ts";
import type { RuntimeObserver } from "./observer.ts";
import type { BrokerPort, LifecyclePort, PlatformPort } from "./ports.ts";

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
