/**
 * An end-to-end harness: the fake OpenCTI (declaring the connector's queues
 * on the real RabbitMQ at registration, as the platform does), the real
 * connector built in-process by the composition root (lib/app) from a
 * configuration built by the real loader, and helpers to publish enrichment
 * messages and read the push queue back.
 *
 * @module
 */

import { createConnector } from "../../lib/app/mod.ts";
import { type AppConfig, buildConfig } from "../../lib/config/mod.ts";
import {
  type ConnectorRuntime,
  decodePushContent,
  type PushMessage,
} from "../../lib/connector/mod.ts";
import type { CapturedLogger, CapturedRecord } from "../../lib/log/testing.ts";
import type { ConnectorMetrics } from "../../lib/metrics/mod.ts";
import type { OpenCtiClient } from "../../lib/opencti/mod.ts";
import { type StixBundle, stixTypeOf } from "../../lib/stix/mod.ts";
import type { VendorModule } from "../../lib/vendors/mod.ts";
import {
  FAKE_TLP_MARKINGS,
  type FakeEntity,
  type FakeOpenCti,
  startFakeOpenCti,
} from "../fake_opencti/mod.ts";
import { PlatformBroker } from "./platform_queues.ts";

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** The vendor modules the runtime can find. */
  vendors: readonly VendorModule[];
  /** The config document without `opencti` (filled in); connector ids get made unique. */
  yaml: Record<string, unknown>;
  /** Env vars seen by the loader (default none). */
  env?: Record<string, string>;
  /** The fake platform's version. */
  platformVersion?: string;
  /** Broker port handed out at registration (e.g. a TCP proxy's). */
  brokerPort?: number;
  /** Pause before requeueing (default 200 ms so tests stay fast). */
  requeueDelayMs?: number;
  /** Connector ping interval. */
  pingIntervalMs?: number;
}

/** A push message with its bundle decoded. */
export interface PushedBundle {
  message: PushMessage;
  bundle: StixBundle & { x_opencti_seq?: number };
  properties: { deliveryMode?: number | undefined; contentEncoding?: string | undefined };
}

/** A running end-to-end setup. */
export interface Harness extends AsyncDisposable {
  octi: FakeOpenCti;
  runtime: ConnectorRuntime;
  config: AppConfig;
  logs: CapturedLogger;
  metrics: ConnectorMetrics;
  api: OpenCtiClient;
  /** The platform's side of the broker. */
  platform: PlatformBroker;
  /** The connector ids, in configuration order. */
  connectorIds: string[];
  /** Seeds an observable in the fake platform. */
  seed(
    entityType: string,
    value: string,
    options?: { tlp?: string; standardId: string },
  ): FakeEntity;
  /** A 6.8.9+ enrichment message for a seeded entity; creates its work. */
  message(entity: FakeEntity, options?: { workId?: string | null; minimal?: boolean }): {
    body: Record<string, unknown>;
    workId: string | null;
  };
  /** Publishes to the listen queue of connector `index` (default 0). */
  publish(body: unknown, index?: number): Promise<void>;
  /**
   * Publishes the 6.8.9+ enrichment message of `entity` to connector 0 and
   * waits until its work is processed (completed or in error); returns the work's id.
   */
  publishAndWaitForWork(entity: FakeEntity): Promise<string>;
  /** Publishes raw bytes or text. */
  publishRaw(body: string | Uint8Array, index?: number): Promise<void>;
  /** Reads `count` push messages of connector `index`. */
  readPush(
    count: number,
    options?: { index?: number; timeoutMs?: number },
  ): Promise<PushedBundle[]>;
  /** Resolves once `predicate` holds, polling; throws after `timeoutMs`. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Stops the runtime, deletes the queues and closes the fake. */
  stop(): Promise<void>;
}

/** Starts the fake platform and the connector. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const platform = await PlatformBroker.open();
  const octi = await startFakeOpenCti({
    ...(options.platformVersion ? { version: options.platformVersion } : {}),
    ...(options.brokerPort ? { connection: { port: options.brokerPort } } : {}),
    onRegister: (connectorId) => platform.declare(connectorId),
  });
  const yaml = uniqueIds(structuredClone(options.yaml));
  const connectorIds: string[] = [];
  const cleanUp = async () => {
    await octi.close();
    for (const id of connectorIds) await platform.delete(id);
    await platform.close();
  };
  let config: AppConfig;
  try {
    config = await buildConfig({
      yaml: { ...yaml, opencti: { url: octi.url, token: octi.token } },
      env: (name) => options.env?.[name],
      vendors: options.vendors,
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  connectorIds.push(...config.instances.map((instance) => instance.id));
  const lines: string[] = [];
  const connector = await createConnector(config, {
    vendors: options.vendors,
    logSink: (line) => lines.push(line),
    logLevel: "debug",
    userAgent: "opencti-enrich/test",
    openCtiRetry: { maxRetries: 6, baseDelayMs: 50, maxDelayMs: 1000 },
    brokerReconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
    pacing: {
      requeueDelayMs: options.requeueDelayMs ?? 200,
      ...(options.pingIntervalMs ? { pingIntervalMs: options.pingIntervalMs } : {}),
    },
  });
  const logs: CapturedLogger = {
    logger: connector.logger,
    lines,
    redactor: connector.redactor,
    records: () => lines.map((line) => JSON.parse(line) as CapturedRecord),
  };
  const { api, metrics } = connector;
  let runtime: ConnectorRuntime;
  try {
    runtime = await connector.start({ consume: true });
  } catch (error) {
    await connector.close();
    await cleanUp();
    throw error;
  }
  let stopped = false;
  const harness: Harness = {
    octi,
    runtime,
    config,
    logs,
    metrics,
    api,
    platform,
    connectorIds,
    seed(entityType, value, seedOptions) {
      return octi.addEntity({
        standard_id: seedOptions?.standardId ?? `${stixTypeOf(entityType)}--${crypto.randomUUID()}`,
        entity_type: entityType,
        observable_value: value,
        objectMarking: seedOptions?.tlp ? [FAKE_TLP_MARKINGS[seedOptions.tlp]!] : [],
      });
    },
    message(entity, messageOptions) {
      const workId = messageOptions?.workId === undefined
        ? `work_${crypto.randomUUID()}_${new Date().toISOString()}`
        : messageOptions.workId;
      if (workId) octi.createWork(workId);
      const event: Record<string, unknown> = {
        event_type: "INTERNAL_ENRICHMENT",
        entity_id: entity.standard_id,
        entity_type: entity.entity_type,
      };
      const internal: Record<string, unknown> = {
        work_id: workId,
        applicant_id: null,
        draft_id: null,
      };
      if (!messageOptions?.minimal) {
        event.stix_entity = JSON.stringify(entity.stix);
        event.stix_objects = null;
        internal.mode = "manual";
        internal.trigger = "update";
      }
      return { body: { internal, event }, workId };
    },
    publish: (body, index = 0) => platform.publishEnrichment(connectorIds[index]!, body),
    async publishAndWaitForWork(entity) {
      const { body, workId } = harness.message(entity);
      await harness.publish(body);
      await waitFor(() => octi.work(workId!)?.processedTime !== null, "the work to close", 10_000);
      return workId!;
    },
    publishRaw: (body, index = 0) => platform.publishRaw(connectorIds[index]!, body),
    async readPush(count, readOptions) {
      const messages = await platform.readPush(connectorIds[readOptions?.index ?? 0]!, {
        count,
        timeoutMs: readOptions?.timeoutMs ?? 10_000,
      });
      return messages.map((item) => {
        const message = item.body as PushMessage;
        return {
          message,
          bundle: decodePushContent(message.content) as PushedBundle["bundle"],
          properties: {
            deliveryMode: item.properties.deliveryMode,
            contentEncoding: item.properties.contentEncoding,
          },
        };
      });
    },
    waitFor: (predicate, what, timeoutMs = 10_000) => waitFor(predicate, what, timeoutMs),
    async stop() {
      if (stopped) return;
      stopped = true;
      await connector.close(5_000);
      await cleanUp();
    },
    [Symbol.asyncDispose]() {
      return harness.stop();
    },
  };
  return harness;
}

/** Polls `predicate` every 20 ms. */
export async function waitFor(
  predicate: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Gives every connector a fresh id, so parallel tests never share queues. */
function uniqueIds(yaml: Record<string, unknown>): Record<string, unknown> {
  const list = yaml.connectors;
  if (Array.isArray(list)) {
    for (const entry of list) (entry as Record<string, unknown>).id = crypto.randomUUID();
  } else {
    yaml.connector = {
      ...(yaml.connector as Record<string, unknown> ?? {}),
      id: crypto.randomUUID(),
    };
  }
  return yaml;
}
