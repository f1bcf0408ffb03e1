// Over 300 lines: one in-memory fake per runtime port (platform, publisher, broker, deliveries, lifecycle), kept together as the one testing entry point.
/**
 * In-memory fakes of the runtime's ports, for tests of every processing rule
 * without a broker (oak ships its own fakes in a `testing.ts` the same way):
 * a platform that keeps entities, works, labels and playbook answers and can
 * be told to fail; a publisher that records what it published; deliveries
 * that record how they were settled.
 *
 * @module
 */

import { OpenCtiError } from "../errors/mod.ts";
import { stixTypeOf, TLP_MARKING_IDS, type TlpLevel } from "../stix/mod.ts";
import type {
  BrokerPort,
  ConnectorInfo,
  ConsumerHandle,
  Delivery,
  EntityRead,
  LifecyclePort,
  PlatformPort,
  PlaybookStepArgs,
  PublisherPort,
  PublishOptions,
  RegisterInput,
  Registration,
  RequestContext,
} from "./ports.ts";

/** A work as the fake platform holds it. */
export interface MemoryWork {
  received: number;
  expectations: number;
  /** Every `toProcessed`, in order. */
  processed: Array<{ message: string; inError: boolean }>;
}

/** A platform operation of {@link PlatformPort}. */
export type PlatformOperation = keyof PlatformPort;

/** An entity seeded in the fake platform. */
export interface MemoryEntity {
  read: EntityRead;
  stix: Record<string, unknown>;
}

/** A transient platform failure, as a proxy answering 502 makes it. */
export function unavailableError(operation: string): OpenCtiError {
  return new OpenCtiError(`OpenCTI answered HTTP 502 to "${operation}"`, {
    kind: "http",
    status: 502,
    transient: true,
  });
}

/** The fake platform. */
export class MemoryPlatform implements PlatformPort {
  /** Entities by standard id. */
  readonly entities = new Map<string, MemoryEntity>();
  /** Works by id (created on first use). */
  readonly works = new Map<string, MemoryWork>();
  /** Labels created, by value. */
  readonly labels = new Map<string, string>();
  /** Playbook answers received. */
  readonly playbookAnswers: PlaybookStepArgs[] = [];
  /** Every call, in order, as `operation`. */
  readonly calls: PlatformOperation[] = [];
  readonly #failures = new Map<PlatformOperation, Array<() => unknown>>();

  /** Seeds an observable with a value and (optional) TLP marking; returns its standard id. */
  seed(entityType: string, value: string, options: { tlp?: TlpLevel; id?: string } = {}): string {
    const stixType = stixTypeOf(entityType);
    const id = options.id ?? `${stixType}--${crypto.randomUUID()}`;
    const markings = options.tlp
      ? [{
        standardId: TLP_MARKING_IDS[options.tlp],
        definitionType: "TLP",
        definition: options.tlp,
      }]
      : [];
    this.entities.set(id, {
      read: { standardId: id, entityType, objectMarking: markings, observableValue: value },
      stix: {
        type: stixType,
        id,
        spec_version: "2.1",
        value,
        ...(options.tlp ? { object_marking_refs: [TLP_MARKING_IDS[options.tlp]] } : {}),
      },
    });
    return id;
  }

  /** Makes the next `count` calls of `operation` throw what `error()` returns (default: unavailable). */
  failNext(operation: PlatformOperation, count: number, error?: () => unknown): void {
    const queue = this.#failures.get(operation) ?? [];
    for (let i = 0; i < count; i++) queue.push(error ?? (() => unavailableError(operation)));
    this.#failures.set(operation, queue);
  }

  /** Drops the failures still queued for `operation`. */
  clearFailures(operation: PlatformOperation): void {
    this.#failures.delete(operation);
  }

  /** The work, created on first use. */
  work(id: string): MemoryWork {
    let work = this.works.get(id);
    if (!work) {
      work = { received: 0, expectations: 0, processed: [] };
      this.works.set(id, work);
    }
    return work;
  }

  #enter(operation: PlatformOperation): void {
    this.calls.push(operation);
    const failure = this.#failures.get(operation)?.shift();
    if (failure) throw failure();
  }

  toReceived(workId: string): Promise<unknown> {
    return this.#run("toReceived", () => this.work(workId).received++);
  }
  toProcessed(workId: string, message: string, inError: boolean): Promise<unknown> {
    return this.#run("toProcessed", () => this.work(workId).processed.push({ message, inError }));
  }
  addExpectations(workId: string, count: number): Promise<unknown> {
    return this.#run("addExpectations", () => (this.work(workId).expectations += count));
  }
  pingWork(workId: string): Promise<unknown> {
    return this.#run("pingWork", () => workId);
  }
  readEntity(id: string, _context?: RequestContext): Promise<EntityRead | null> {
    return this.#run("readEntity", () => this.entities.get(id)?.read ?? null);
  }
  readStix(id: string, _context?: RequestContext): Promise<Record<string, unknown> | null> {
    return this.#run("readStix", () => structuredClone(this.entities.get(id)?.stix ?? null));
  }
  playbookStepExecution(args: PlaybookStepArgs): Promise<unknown> {
    return this.#run("playbookStepExecution", () => this.playbookAnswers.push(args));
  }
  ensureLabel(value: string, color: string): Promise<string> {
    return this.#run("ensureLabel", () => {
      this.labels.set(value, color);
      return value;
    });
  }

  #run<T>(operation: PlatformOperation, action: () => T): Promise<T> {
    try {
      this.#enter(operation);
      return Promise.resolve(action());
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** A message the fake publisher received. */
export interface Published {
  exchange: string;
  routingKey: string;
  /** The body, decoded from UTF-8. */
  body: string;
  options: PublishOptions | undefined;
}

/** The fake publisher: records every confirmed publish; can be told to fail. */
export class MemoryPublisher implements PublisherPort {
  /** What was published (confirmed), in order. */
  readonly published: Published[] = [];
  #failures: Array<() => unknown> = [];

  /** Makes the next `count` publishes throw what `error()` returns. */
  failNext(count: number, error: () => unknown): void {
    for (let i = 0; i < count; i++) this.#failures.push(error);
  }

  publish(
    exchange: string,
    routingKey: string,
    body: Uint8Array,
    options?: PublishOptions,
  ): Promise<unknown> {
    const failure = this.#failures.shift();
    if (failure) return Promise.reject(failure());
    this.published.push({ exchange, routingKey, body: new TextDecoder().decode(body), options });
    return Promise.resolve();
  }
}

/** A delivery that records how it was settled. */
export interface MemoryDelivery extends Delivery {
  /** `ack`, `requeue`, or undefined while unsettled. */
  readonly settled: "ack" | "requeue" | undefined;
}

/** A delivery of `body` (an object is sent as JSON). */
export function memoryDelivery(
  body: unknown,
  options: { redelivered?: boolean } = {},
): MemoryDelivery {
  const bytes = body instanceof Uint8Array
    ? body
    : new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body));
  let settled: "ack" | "requeue" | undefined;
  return {
    body: bytes,
    redelivered: options.redelivered ?? false,
    ack() {
      settled = "ack";
      return Promise.resolve(true);
    },
    nack({ requeue }) {
      settled = requeue ? "requeue" : "ack";
      return Promise.resolve(true);
    },
    get settled() {
      return settled;
    },
  };
}

/** A 6.8.9+ enrichment message for a seeded entity. */
export function enrichmentMessage(
  platform: MemoryPlatform,
  entityId: string,
  options: { workId?: string | null; stixEntity?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const entity = platform.entities.get(entityId);
  const workId = options.workId === undefined ? `work_${crypto.randomUUID()}` : options.workId;
  return {
    internal: { work_id: workId, applicant_id: null, draft_id: null, mode: "manual" },
    event: {
      event_type: "INTERNAL_ENRICHMENT",
      entity_id: entityId,
      entity_type: entity?.read.entityType ?? "IPv4-Addr",
      stix_entity: JSON.stringify(options.stixEntity ?? entity?.stix),
      stix_objects: null,
    },
  };
}

/** A platform that also registers and pings connectors, for runtime tests. */
export class MemoryLifecycle extends MemoryPlatform implements LifecyclePort {
  /** The version `about` answers. */
  version = "6.8.10";
  /** Registrations received. */
  readonly registrations: RegisterInput[] = [];
  /** Pings received. */
  pings = 0;
  /** While set, `about` never answers (a hanging platform). */
  hang = false;
  /** While set, pings fail. */
  pingFails = false;

  about(): Promise<{ version: string }> {
    if (this.hang) return new Promise(() => {});
    return Promise.resolve({ version: this.version });
  }
  registerConnector(input: RegisterInput): Promise<Registration> {
    this.registrations.push(input);
    return Promise.resolve({
      id: input.id,
      connectorState: null,
      connectorUserId: "connector-user",
      config: {
        connection: { host: "broker", port: 5672, vhost: "/", useSsl: false, user: "u", pass: "p" },
        listen: `listen_${input.id}`,
        listenRouting: `listen_routing_${input.id}`,
        listenExchange: "amqp.connector.exchange",
        push: `push_${input.id}`,
        pushRouting: `push_routing_${input.id}`,
        pushExchange: "amqp.worker.exchange",
      },
    });
  }
  pingConnector(
    _id: string,
    _options: { state: string | null; info: ConnectorInfo },
  ): Promise<{ connectorState: string | null }> {
    this.pings++;
    return this.pingFails
      ? Promise.reject(unavailableError("pingConnector"))
      : Promise.resolve({ connectorState: null });
  }
}

/** A broker connection in memory: queues that exist, consumers, and what was published. */
export class MemoryBroker extends MemoryPublisher implements BrokerPort {
  /** Queue names that exist. */
  readonly queues = new Set<string>();
  /** The consumers' handlers, by queue. */
  readonly consumers = new Map<string, (delivery: Delivery) => Promise<void>>();
  readonly #listeners: Array<(connected: boolean) => void> = [];
  closed = false;

  consume(
    queue: string,
    _options: { prefetch: number },
    handler: (delivery: Delivery) => Promise<void>,
  ): Promise<ConsumerHandle> {
    if (!this.queues.has(queue)) return Promise.reject(new Error(`No queue "${queue}"`));
    this.consumers.set(queue, handler);
    return Promise.resolve({ cancel: () => Promise.resolve(this.consumers.delete(queue)) });
  }
  checkQueue(queue: string): Promise<void> {
    return this.queues.has(queue)
      ? Promise.resolve()
      : Promise.reject(new Error(`The listen queue "${queue}" does not exist`));
  }
  onConnectionChange(listener: (connected: boolean) => void): void {
    this.#listeners.push(listener);
  }
  /** Tells the runtime the connection went down or came back. */
  setConnected(connected: boolean): void {
    for (const listener of this.#listeners) listener(connected);
  }
  close(): Promise<unknown> {
    this.closed = true;
    return Promise.resolve();
  }
}
