/**
 * The fake platform's memory and its GraphQL resolvers: connectors, works,
 * entities, labels and playbook steps, behaving as OpenCTI 6.8 and 7.x do for
 * the calls a connector makes. Registration creates or replaces the connector
 * and names its queues (`listen_<id>`, `push_<id>`, with the platform's queue
 * prefix); a ping stores the state unless an admin reset it, in which case it
 * answers `""` once and keeps it; a work completes when the worker has reported
 * every expected object (or when it is processed with none expected).
 *
 * @module
 */

import { type GraphQLSchema, isObjectType } from "graphql";

/** The broker coordinates `registerConnector` hands out. */
export interface FakeConnection {
  host: string;
  port: number;
  vhost: string;
  use_ssl: boolean;
  user: string;
  pass: string;
}

/** The user the token belongs to. */
export interface FakeUser {
  id: string;
  name: string;
  user_email: string;
}

/** `connectorInfo` as the last ping sent it. */
export interface FakeConnectorInfo {
  run_and_terminate: boolean;
  buffering: boolean;
  queue_threshold: number;
  queue_messages_size: number;
  next_run_datetime: string | null;
  last_run_datetime: string | null;
}

/** A registered connector. */
export interface FakeConnector {
  id: string;
  name: string;
  type: string;
  scope: string[] | null;
  auto: boolean | null;
  /** Undefined when the registration did not send it (pre-6.8.9 form). */
  autoUpdate: boolean | null | undefined;
  enrichmentResolution: string | null | undefined;
  /** The connector's own version; undefined when the registration did not send it (7.x only). */
  version: string | null | undefined;
  /** The connector's slug; undefined when the registration did not send it (7.x only). */
  slug: string | null | undefined;
  onlyContextual: boolean | null;
  playbookCompatible: boolean | null;
  listenCallbackUri: string | null;
  /** The stored state: JSON text, `"null"`, `""` after a reset, or null. */
  state: string | null;
  /** Set by {@link FakePlatform.resetState}; cleared by the next ping, which then keeps the state. */
  stateReset: boolean;
  info: FakeConnectorInfo | null;
  registrations: number;
  pings: number;
  updatedAt: string;
  queues: {
    listen: string;
    listenRouting: string;
    listenExchange: string;
    push: string;
    pushRouting: string;
    pushExchange: string;
    deadLetterRouting: string;
  };
}

/** A timestamped work message or error. */
export interface FakeWorkEntry {
  timestamp: string;
  message: string;
}

/** A work as the platform tracks it. */
export interface FakeWork {
  id: string;
  status: "wait" | "progress" | "complete";
  receivedTime: string | null;
  processedTime: string | null;
  completedTime: string | null;
  /** `import_expected_number`. */
  expectations: number;
  /** Each `addExpectations` increment, in order (a redelivered message adds a second batch). */
  expectationBatches: number[];
  /** Reports of the worker, counted by {@link FakePlatform.reportExpectation}. */
  processed: number;
  completedNumber: number | null;
  messages: FakeWorkEntry[];
  errors: FakeWorkEntry[];
  pings: number;
  updatedAt: string;
}

/** A marking definition. */
export interface FakeMarking {
  id: string;
  standard_id: string;
  definition_type: string;
  definition: string;
  x_opencti_order: number;
  x_opencti_color: string | null;
  created: string;
  modified: string;
}

/** An author identity. */
export interface FakeIdentity {
  id: string;
  standard_id: string;
  entity_type: string;
  name: string;
  identity_class: string;
}

/** What {@link FakePlatform.addEntity} takes; missing ids are generated. */
export interface FakeEntitySeed {
  id?: string;
  standard_id: string;
  /** The platform's type name, e.g. `IPv4-Addr`, `Domain-Name`, `Indicator`. */
  entity_type: string;
  /** Required for observables. */
  observable_value?: string;
  x_opencti_score?: number | null;
  /** Required for non-observables. */
  name?: string;
  description?: string;
  pattern?: string;
  pattern_type?: string;
  objectMarking?: (Partial<FakeMarking> & { definition_type: string; definition: string })[];
  createdBy?: (Partial<FakeIdentity> & { name: string }) | null;
  /** The STIX export `stix(id:)` returns; generated from the seed when absent. */
  stix?: Record<string, unknown>;
}

/** A seeded entity. */
export interface FakeEntity {
  id: string;
  standard_id: string;
  entity_type: string;
  observable_value: string | null;
  x_opencti_score: number | null;
  name: string | null;
  description: string | null;
  pattern: string | null;
  pattern_type: string | null;
  objectMarking: FakeMarking[];
  createdBy: FakeIdentity | null;
  stix: Record<string, unknown>;
}

/** A label. */
export interface FakeLabel {
  id: string;
  standard_id: string;
  value: string;
  color: string | null;
}

/** The TLP marking definitions with the fixed ids every platform gives them. */
export const FAKE_TLP_MARKINGS: Readonly<Record<string, FakeMarking>> = Object.fromEntries(
  ([
    ["TLP:CLEAR", "613f2e26-407d-48c7-9eca-b8e91df99dc9", 1, "#ffffff"],
    ["TLP:GREEN", "34098fce-860f-48ae-8e50-ebd3cc5e41da", 2, "#2e7d32"],
    ["TLP:AMBER", "f88d31f6-486f-44da-b317-01333bde0b82", 3, "#d84315"],
    ["TLP:AMBER+STRICT", "826578e1-40ad-459f-bc73-ede076f81f37", 4, "#d84315"],
    ["TLP:RED", "5e57c739-391a-4eb3-b6be-7d15ca92d5ed", 5, "#c62828"],
  ] as const).map(([definition, uuid, order, color]) => [definition, {
    id: `fake-marking-${uuid}`,
    standard_id: `marking-definition--${uuid}`,
    definition_type: "TLP",
    definition,
    x_opencti_order: order,
    x_opencti_color: color,
    created: "2022-01-01T00:00:00.000Z",
    modified: "2022-01-01T00:00:00.000Z",
  }]),
);

/** An error the platform raises, with its code (`extensions.code`, copied to `name`). */
export class FakePlatformError extends Error {
  /** The platform's error code, e.g. `FUNCTIONAL_ERROR`. */
  readonly code: string;

  /** Builds the error. */
  constructor(message: string, code: string) {
    super(message);
    this.code = code;
  }
}

/** Options of {@link FakePlatform}. */
export interface FakePlatformOptions {
  version: string;
  user: FakeUser;
  connection: FakeConnection;
  /** `rabbitmq.queue_prefix`; empty for none. */
  queuePrefix: string;
  connectorUserId: string;
  onRegister?: (connectorId: string, connector: FakeConnector) => unknown;
}

/** The fake platform's state and resolvers. */
export class FakePlatform {
  /** Registered connectors by id. */
  readonly connectors: Map<string, FakeConnector> = new Map();
  /** Works by id. */
  readonly works: Map<string, FakeWork> = new Map();
  /** Seeded entities by internal id. */
  readonly entities: Map<string, FakeEntity> = new Map();
  /** Internal ids by standard id (the platform resolves both). */
  readonly #byStandardId = new Map<string, string>();
  /** Labels, in creation order. */
  readonly labels: FakeLabel[] = [];
  /** Every `playbookStepExecution` call's arguments. */
  readonly playbookSteps: Record<string, unknown>[] = [];
  /** Every `registerConnector` input, as sent, in arrival order. */
  readonly registrationInputs: Record<string, unknown>[] = [];
  /** When true, `labelAdd` is refused with `FORBIDDEN_ACCESS`. */
  forbidLabelCreation = false;
  /** The GraphQL root value. */
  readonly root: Record<string, unknown>;

  readonly #options: FakePlatformOptions;
  readonly #schema: GraphQLSchema;

  /** Builds an empty platform serving `schema`. */
  constructor(schema: GraphQLSchema, options: FakePlatformOptions) {
    this.#schema = schema;
    this.#options = options;
    this.root = this.#resolvers();
  }

  /** The work, created when first mentioned. */
  work(id: string): FakeWork {
    let work = this.works.get(id);
    if (!work) {
      work = {
        id,
        status: "wait",
        receivedTime: null,
        processedTime: null,
        completedTime: null,
        expectations: 0,
        expectationBatches: [],
        processed: 0,
        completedNumber: null,
        messages: [],
        errors: [],
        pings: 0,
        updatedAt: now(),
      };
      this.works.set(id, work);
    }
    return work;
  }

  /** What the worker does once per imported object: count it, and complete the work when all are in. */
  reportExpectation(workId: string, error?: string): FakeWork {
    const work = this.work(workId);
    work.processed += 1;
    if (error) work.errors.push({ timestamp: now(), message: error });
    if (work.processed === work.expectations) complete(work);
    return work;
  }

  /** What an admin's `resetStateConnector` does: state `""`, kept by the next ping. */
  resetState(connectorId: string): void {
    const connector = this.connectors.get(connectorId);
    if (!connector) throw new Error(`No connector "${connectorId}" is registered`);
    connector.state = "";
    connector.stateReset = true;
  }

  /** Seeds an entity for `stixCoreObject(id:)` and `stix(id:)`; found by id or standard id. */
  addEntity(seed: FakeEntitySeed): FakeEntity {
    const typeName = graphQlTypeName(seed.entity_type);
    const type = this.#schema.getType(typeName);
    const core = this.#schema.getType("StixCoreObject");
    if (!type || !isObjectType(type) || !type.getInterfaces().some((i) => i === core)) {
      throw new Error(
        `The fake OpenCTI does not know entity type "${seed.entity_type}"; known GraphQL types: ${
          this.knownEntityTypes().join(", ")
        }`,
      );
    }
    const observable = type.getInterfaces().some((i) => i.name === "StixCyberObservable");
    if (observable && seed.observable_value === undefined) {
      throw new Error(`Entity "${seed.standard_id}" is an observable and needs observable_value`);
    }
    if (!observable && seed.name === undefined) {
      throw new Error(`Entity "${seed.standard_id}" needs a name`);
    }
    const objectMarking = (seed.objectMarking ?? []).map((marking): FakeMarking => {
      const known = FAKE_TLP_MARKINGS[marking.definition];
      const uuid = crypto.randomUUID();
      return {
        id: marking.id ?? known?.id ?? uuid,
        standard_id: marking.standard_id ?? known?.standard_id ?? `marking-definition--${uuid}`,
        definition_type: marking.definition_type,
        definition: marking.definition,
        x_opencti_order: marking.x_opencti_order ?? known?.x_opencti_order ?? 0,
        x_opencti_color: marking.x_opencti_color ?? known?.x_opencti_color ?? null,
        created: marking.created ?? "2022-01-01T00:00:00.000Z",
        modified: marking.modified ?? "2022-01-01T00:00:00.000Z",
      };
    });
    const createdBy = seed.createdBy
      ? {
        id: seed.createdBy.id ?? crypto.randomUUID(),
        standard_id: seed.createdBy.standard_id ?? `identity--${crypto.randomUUID()}`,
        entity_type: seed.createdBy.entity_type ?? "Organization",
        name: seed.createdBy.name,
        identity_class: seed.createdBy.identity_class ?? "organization",
      }
      : null;
    const entity: FakeEntity = {
      id: seed.id ?? crypto.randomUUID(),
      standard_id: seed.standard_id,
      entity_type: seed.entity_type,
      observable_value: seed.observable_value ?? null,
      x_opencti_score: seed.x_opencti_score ?? null,
      name: seed.name ?? null,
      description: seed.description ?? null,
      pattern: seed.pattern ?? null,
      pattern_type: seed.pattern_type ?? null,
      objectMarking,
      createdBy,
      stix: seed.stix ?? generatedStix(seed, objectMarking, createdBy),
    };
    this.entities.set(entity.id, entity);
    this.#byStandardId.set(entity.standard_id, entity.id);
    return entity;
  }

  /** The entity types {@link addEntity} accepts. */
  knownEntityTypes(): string[] {
    const core = this.#schema.getType("StixCoreObject");
    return Object.values(this.#schema.getTypeMap())
      .filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i === core))
      .map((type) => type.name);
  }

  /** An entity by internal or standard id. */
  findEntity(id: string): FakeEntity | undefined {
    const direct = this.entities.get(id);
    if (direct) return direct;
    const internal = this.#byStandardId.get(id);
    return internal === undefined ? undefined : this.entities.get(internal);
  }

  #resolvers(): Record<string, unknown> {
    const options = this.#options;
    return {
      about: () => ({ version: options.version }),
      me: () => ({
        ...options.user,
        standard_id: `user--${options.user.id}`,
        entity_type: "User",
      }),
      stixCoreObject: ({ id }: { id: string }) => {
        const entity = this.findEntity(id);
        return entity ? entityView(entity) : null;
      },
      stix: ({ id }: { id: string }) => {
        const entity = this.findEntity(id);
        return entity ? JSON.stringify(entity.stix) : null;
      },
      labels: (args: { first?: number | null; filters?: FilterGroupArg | null }) => {
        const wanted = valueFilter(args.filters);
        const matching = this.labels.filter((label) => !wanted || wanted.includes(label.value));
        const page = matching.slice(0, args.first ?? matching.length);
        return {
          pageInfo: {
            startCursor: "",
            endCursor: "",
            hasNextPage: page.length < matching.length,
            hasPreviousPage: false,
            globalCount: matching.length,
          },
          edges: page.map((label) => ({ cursor: label.id, node: labelView(label) })),
        };
      },
      labelAdd: ({ input }: { input: { value: string; color?: string | null } }) => {
        if (this.forbidLabelCreation) {
          throw new FakePlatformError("You are not allowed to do this.", "FORBIDDEN_ACCESS");
        }
        const existing = this.labels.find((label) => label.value === input.value);
        if (existing) return labelView(existing);
        const uuid = crypto.randomUUID();
        const label = {
          id: uuid,
          standard_id: `label--${uuid}`,
          value: input.value,
          color: input.color ?? null,
        };
        this.labels.push(label);
        return labelView(label);
      },
      registerConnector: async ({ input }: { input: RegisterArg }) => {
        this.registrationInputs.push({ ...input });
        const connector = this.#register(input);
        await options.onRegister?.(connector.id, connector);
        return connectorView(connector, options);
      },
      pingConnector: (
        args: { id: string; state?: string | null; connectorInfo?: FakeConnectorInfo | null },
      ) => {
        const connector = this.connectors.get(args.id);
        if (!connector) {
          throw new FakePlatformError("Cannot ping an unknown connector", "FUNCTIONAL_ERROR");
        }
        connector.pings += 1;
        if (connector.stateReset) {
          connector.stateReset = false;
        } else {
          connector.updatedAt = now();
          connector.state = args.state ?? null;
        }
        if (args.connectorInfo) connector.info = { ...args.connectorInfo };
        return connectorView(connector, options);
      },
      workEdit: ({ id }: { id: string }) => this.#workEdit(id),
      playbookStepExecution: (args: Record<string, unknown>) => {
        this.playbookSteps.push({ ...args });
        return true;
      },
    };
  }

  #register(input: RegisterArg): FakeConnector {
    const prefix = this.#options.queuePrefix ? `${this.#options.queuePrefix}_` : "";
    const previous = this.connectors.get(input.id);
    const connector: FakeConnector = {
      id: input.id,
      name: input.name,
      type: input.type,
      scope: input.scope ?? null,
      auto: input.auto ?? null,
      autoUpdate: "auto_update" in input ? input.auto_update ?? null : undefined,
      enrichmentResolution: "enrichment_resolution" in input
        ? input.enrichment_resolution ?? null
        : undefined,
      version: "version" in input ? input.version ?? null : undefined,
      slug: "slug" in input ? input.slug ?? null : undefined,
      onlyContextual: input.only_contextual ?? null,
      playbookCompatible: input.playbook_compatible ?? null,
      listenCallbackUri: input.listen_callback_uri ?? null,
      state: previous?.state ?? null,
      stateReset: previous?.stateReset ?? false,
      info: previous?.info ?? null,
      registrations: (previous?.registrations ?? 0) + 1,
      pings: previous?.pings ?? 0,
      updatedAt: now(),
      queues: {
        listen: `${prefix}listen_${input.id}`,
        listenRouting: `${prefix}listen_routing_${input.id}`,
        listenExchange: `${prefix}amqp.connector.exchange`,
        push: `${prefix}push_${input.id}`,
        pushRouting: `${prefix}push_routing_${input.id}`,
        pushExchange: `${prefix}amqp.worker.exchange`,
        deadLetterRouting: `${prefix}listen_routing_too-large-bundle`,
      },
    };
    this.connectors.set(connector.id, connector);
    return connector;
  }

  #workEdit(id: string): Record<string, unknown> {
    return {
      toReceived: ({ message }: { message?: string | null }) => {
        const work = this.work(id);
        work.status = work.status === "complete" ? "complete" : "progress";
        work.receivedTime = now();
        work.updatedAt = work.receivedTime;
        if (message) work.messages.push({ timestamp: work.receivedTime, message });
        return id;
      },
      toProcessed: (
        { message, inError }: { message?: string | null; inError?: boolean | null },
      ) => {
        const work = this.work(id);
        work.processedTime = now();
        work.updatedAt = work.processedTime;
        if (message) {
          (inError ? work.errors : work.messages).push({ timestamp: work.processedTime, message });
        }
        if (work.expectations === 0 || work.processed === work.expectations) complete(work);
        return id;
      },
      addExpectations: ({ expectations }: { expectations?: number | null }) => {
        const work = this.work(id);
        work.expectations += expectations ?? 0;
        work.expectationBatches.push(expectations ?? 0);
        work.updatedAt = now();
        return id;
      },
      ping: () => {
        const work = this.work(id);
        work.pings += 1;
        work.updatedAt = now();
        return id;
      },
    };
  }
}

interface RegisterArg {
  id: string;
  name: string;
  type: string;
  scope?: string[] | null;
  auto?: boolean | null;
  auto_update?: boolean | null;
  enrichment_resolution?: string | null;
  only_contextual?: boolean | null;
  playbook_compatible?: boolean | null;
  listen_callback_uri?: string | null;
  version?: string | null;
  slug?: string | null;
}

interface FilterGroupArg {
  filters?: { key: string[]; values: unknown[] }[];
}

/** The GraphQL type of an entity type: `IPv4-Addr` → `IPv4Addr`. */
export function graphQlTypeName(entityType: string): string {
  return entityType.replaceAll("-", "");
}

function now(): string {
  return new Date().toISOString();
}

function complete(work: FakeWork): void {
  work.status = "complete";
  work.completedTime = now();
  work.completedNumber = work.processed;
}

function valueFilter(filters: FilterGroupArg | null | undefined): unknown[] | undefined {
  const filter = filters?.filters?.find((item) => item.key.includes("value"));
  return filter?.values;
}

function labelView(label: FakeLabel): Record<string, unknown> {
  return { ...label, entity_type: "Label" };
}

function entityView(entity: FakeEntity): Record<string, unknown> {
  const stamp = "2024-01-01T00:00:00.000Z";
  return {
    __typename: graphQlTypeName(entity.entity_type),
    ...entity,
    parent_types: ["Basic-Object", "Stix-Object", "Stix-Core-Object"],
    created_at: stamp,
    updated_at: stamp,
    objectMarking: entity.objectMarking.map((marking) => ({
      ...marking,
      entity_type: "Marking-Definition",
    })),
    createdBy: entity.createdBy
      ? {
        __typename: graphQlTypeName(entity.createdBy.entity_type),
        ...entity.createdBy,
        parent_types: ["Basic-Object", "Stix-Object", "Stix-Core-Object", "Identity"],
        created_at: stamp,
        updated_at: stamp,
        createdBy: null,
        objectMarking: [],
        objectLabel: [],
        description: null,
      }
      : null,
    objectLabel: [],
  };
}

function connectorView(connector: FakeConnector, options: FakePlatformOptions) {
  return {
    id: connector.id,
    name: connector.name,
    active: true,
    auto: connector.auto,
    auto_update: connector.autoUpdate ?? null,
    enrichment_resolution: connector.enrichmentResolution ?? null,
    version: connector.version ?? null,
    slug: connector.slug ?? null,
    last_seen_at: connector.updatedAt,
    only_contextual: connector.onlyContextual,
    playbook_compatible: connector.playbookCompatible,
    connector_type: connector.type,
    connector_scope: connector.scope,
    connector_state: connector.state,
    connector_state_reset: connector.stateReset,
    connector_user_id: options.connectorUserId,
    connector_info: connector.info,
    updated_at: connector.updatedAt,
    config: {
      connection: options.connection,
      listen: connector.queues.listen,
      listen_routing: connector.queues.listenRouting,
      listen_exchange: connector.queues.listenExchange,
      listen_callback_uri: connector.listenCallbackUri,
      push: connector.queues.push,
      push_routing: connector.queues.pushRouting,
      push_exchange: connector.queues.pushExchange,
      dead_letter_routing: connector.queues.deadLetterRouting,
    },
  };
}

function generatedStix(
  seed: FakeEntitySeed,
  markings: FakeMarking[],
  createdBy: FakeIdentity | null,
): Record<string, unknown> {
  const type = seed.standard_id.split("--")[0] ?? seed.entity_type.toLowerCase();
  const stix: Record<string, unknown> = { id: seed.standard_id, type, spec_version: "2.1" };
  if (seed.observable_value !== undefined) stix.value = seed.observable_value;
  if (seed.name !== undefined) stix.name = seed.name;
  if (seed.pattern !== undefined) stix.pattern = seed.pattern;
  if (seed.pattern_type !== undefined) stix.pattern_type = seed.pattern_type;
  if (seed.x_opencti_score !== undefined && seed.x_opencti_score !== null) {
    stix.x_opencti_score = seed.x_opencti_score;
  }
  if (markings.length > 0) stix.object_marking_refs = markings.map((m) => m.standard_id);
  if (createdBy) stix.created_by_ref = createdBy.standard_id;
  return stix;
}
