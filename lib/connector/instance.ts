/**
 * The parts of one connector instance the runtime assembles at start-up:
 * its registration input, the broker line of the start log, and its message
 * processor wired to the platform, the broker and the configured limits.
 *
 * @module
 */

import type { ConnectorInstanceConfig } from "../config/mod.ts";
import { VERSION } from "../meta/mod.ts";
import type { Enricher, VendorModule } from "../vendors/mod.ts";
import type { BrokerConnectionSettings } from "./connection.ts";
import { WorkMemory } from "./memory.ts";
import type { PublisherPort, RegisterInput, Registration } from "./ports.ts";
import { MessageProcessor } from "./processor.ts";
import type { RuntimeDeps } from "./runtime_deps.ts";

/** Pause before requeueing a message, unless the deps say otherwise. */
const REQUEUE_DELAY_MS = 5_000;
/** Work ping interval during long enrichments, as pycti's. */
const WORK_PING_INTERVAL_MS = 300_000;

/** The `registerConnector` input of an instance run by `vendor`. */
export function registerInput(
  instance: ConnectorInstanceConfig,
  vendor: VendorModule,
): RegisterInput {
  return {
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
  };
}

/** Where the broker is, without credentials: `amqp://host:port vhost "/"`. */
export function brokerDetail(connection: BrokerConnectionSettings): string {
  const scheme = connection.useSsl ? "amqps" : "amqp";
  return `${scheme}://${connection.host}:${connection.port} vhost "${connection.vhost}"`;
}

/** What one instance's processor is made of, besides the runtime's deps. */
export interface InstanceParts {
  instance: ConnectorInstanceConfig;
  vendor: VendorModule;
  enricher: Enricher;
  registration: Registration;
  broker: PublisherPort;
}

/** The message processor of one registered instance. */
export function createProcessor(deps: RuntimeDeps, parts: InstanceParts): MessageProcessor {
  const { config } = deps;
  const { instance, registration } = parts;
  return new MessageProcessor({
    instance,
    vendor: parts.vendor,
    enricher: parts.enricher,
    maxTlp: instance.maxTlp,
    push: {
      exchange: registration.config.pushExchange,
      routingKey: registration.config.pushRouting,
      connectorUserId: registration.connectorUserId,
    },
    platform: deps.api,
    publisher: parts.broker,
    logger: deps.logger,
    observer: deps.observer,
    memory: new WorkMemory(),
    ...(deps.redactor ? { redactor: deps.redactor } : {}),
    settings: {
      tlpRefusal: config.runtime.tlpRefusal,
      sendToQueue: config.runtime.sendToQueue,
      requeueDelayMs: deps.requeueDelayMs ?? REQUEUE_DELAY_MS,
      workPingIntervalMs: deps.workPingIntervalMs ?? WORK_PING_INTERVAL_MS,
      maxRequeues: config.runtime.maxRequeues,
      deliveryTimeoutMs: config.runtime.deliveryTimeoutMs,
      limits: config.runtime.limits,
    },
  });
}
