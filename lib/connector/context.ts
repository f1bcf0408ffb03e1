/**
 * What processing a message works with: the connector instance's
 * dependencies and settings, and the per-message context the steps share.
 *
 * @module
 */

import type { ConnectorInstanceConfig, EnrichmentLimits } from "../config/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import type { TlpLevel } from "../stix/mod.ts";
import type { Enricher, VendorModule } from "../vendors/mod.ts";
import type { WorkMemory } from "./memory.ts";
import type { RuntimeObserver } from "./observer.ts";
import type { Delivery, PlatformPort, PublisherPort } from "./ports.ts";

/** Where a connector instance publishes, from its registration. */
export interface PushTarget {
  /** The push exchange (`amqp.worker.exchange`). */
  exchange: string;
  /** The push routing key (`push_routing_<id>`). */
  routingKey: string;
  /** Applicant of pushed bundles when the message names none (`connector_user_id`). */
  connectorUserId: string;
}

/** Settings of a {@link ProcessorDeps}. */
export interface ProcessorSettings {
  /** TLP refusals end the work in error, or complete it with a message. */
  tlpRefusal: "error" | "message";
  /** False = dry run: nothing published, no work updates. */
  sendToQueue: boolean;
  /** Pause before handing a message back to the queue. */
  requeueDelayMs: number;
  /** Interval of work pings while a message is processed (pycti: about 5 min). */
  workPingIntervalMs: number;
  /** Requeues of a message the platform cannot serve before its work ends in error. */
  maxRequeues: number;
  /** How long platform calls after the vendor answered are retried in place. */
  deliveryTimeoutMs: number;
  /** Caps on what one enrichment reads and sends. */
  limits: EnrichmentLimits;
}

/** Everything a message processor works with. */
export interface ProcessorDeps {
  instance: ConnectorInstanceConfig;
  vendor: Pick<VendorModule, "name" | "title" | "supportedTypes">;
  enricher: Enricher;
  maxTlp: TlpLevel;
  push: PushTarget;
  platform: PlatformPort;
  publisher: PublisherPort;
  logger: Logger;
  observer: RuntimeObserver;
  settings: ProcessorSettings;
  /** Masks secrets in the work messages sent to the platform; default: none registered. */
  redactor?: Redactor;
  /** Recent messages; default a memory of its own. */
  memory?: WorkMemory;
  /** Clock; default the system clock. */
  now?: () => Date;
}

/** One message being processed. */
export interface MessageContext {
  deps: ProcessorDeps;
  delivery: Delivery;
  /** Aborted when the runtime gives up on in-flight work (shutdown deadline). */
  signal: AbortSignal;
  /** The key the memory knows the message by. */
  key: string;
  /** Named after the connector instance. */
  log: Logger;
}
