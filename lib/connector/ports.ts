/**
 * What the runtime needs from the platform and the broker, as narrow
 * interfaces. `lib/opencti` and `lib/broker` implement them; the runtime never
 * imports graphql-request or the AMQP client.
 *
 * @module
 */

/** A marking as the entity read returns it. */
export interface MarkingRead {
  /** The marking definition's STIX id, which the entity's `object_marking_refs` name. */
  standardId?: string | null;
  definitionType?: string | null;
  definition?: string | null;
}

/** The entity as the platform's GraphQL read returns it (the fields the runtime uses). */
export interface EntityRead {
  standardId: string;
  entityType: string;
  /** Null when the platform answered without markings: the TLP gate then refuses (fails closed). */
  objectMarking: readonly MarkingRead[] | null;
  /** The observable's value (`observable_value`), when it is an observable. */
  observableValue?: string | null;
}

/** Per-request GraphQL context. */
export interface RequestContext {
  /** Sent as `opencti-draft-id` when set. */
  draftId?: string | null;
}

/** The echoed playbook fields plus what the connector adds. */
export interface PlaybookStepArgs {
  execution_id: string;
  event_id: string;
  execution_start: string;
  data_instance_id: string;
  playbook_id: string;
  previous_step_id: string;
  step_id: string;
  previous_bundle: string;
  bundle: string;
}

/** The platform calls made while processing a message. */
export interface PlatformPort {
  toReceived(workId: string, message: string): Promise<unknown>;
  toProcessed(workId: string, message: string, inError: boolean): Promise<unknown>;
  addExpectations(workId: string, count: number): Promise<unknown>;
  pingWork(workId: string): Promise<unknown>;
  readEntity(id: string, context?: RequestContext): Promise<EntityRead | null>;
  readStix(id: string, context?: RequestContext): Promise<Record<string, unknown> | null>;
  playbookStepExecution(args: PlaybookStepArgs): Promise<unknown>;
  ensureLabel(value: string, color: string): Promise<string>;
}

/** One message from the listen queue. */
export interface Delivery {
  body: Uint8Array;
  redelivered: boolean;
  ack(): Promise<unknown>;
  nack(options: { requeue: boolean }): Promise<unknown>;
}

/** Options of a publish. */
export interface PublishOptions {
  persistent?: boolean;
  contentEncoding?: string;
}

/** Publishing with publisher confirms. */
export interface PublisherPort {
  /** Resolves once the broker confirmed the message. */
  publish(
    exchange: string,
    routingKey: string,
    body: Uint8Array,
    options?: PublishOptions,
  ): Promise<unknown>;
}

/** The broker coordinates the platform returns at registration. */
export interface BrokerCoordinates {
  host: string;
  port: number;
  vhost: string;
  useSsl: boolean;
  user: string;
  pass: string;
}

/** What `registerConnector` returns (the parts the runtime uses). */
export interface Registration {
  id: string;
  connectorState: string | null;
  connectorUserId: string;
  config: {
    connection: BrokerCoordinates;
    listen: string;
    listenRouting: string;
    listenExchange: string;
    push: string;
    pushRouting: string;
    pushExchange: string;
  };
}

/** The input of `registerConnector`, in the platform's field names. */
export interface RegisterInput {
  id: string;
  name: string;
  type: "INTERNAL_ENRICHMENT";
  scope: string[];
  auto: boolean;
  auto_update: boolean;
  enrichment_resolution: string;
  only_contextual: boolean;
  playbook_compatible: boolean;
  listen_callback_uri: null;
  /** The program's version; sent only when the platform's input has the field (OpenCTI 7.x). */
  version?: string;
  /** The connector's own catalog slug; sent only when the platform's input has the field. */
  slug?: string;
}

/** The `connectorInfo` of a ping. */
export interface ConnectorInfo {
  run_and_terminate: boolean;
  buffering: boolean;
  queue_threshold: number;
  queue_messages_size: number;
  next_run_datetime: string | null;
  last_run_datetime: string | null;
}

/** Start-up and liveness calls. */
export interface LifecyclePort {
  about(): Promise<{ version: string }>;
  registerConnector(
    input: RegisterInput,
    options: { platformVersion: string },
  ): Promise<Registration>;
  pingConnector(
    id: string,
    options: { state: string | null; info: ConnectorInfo },
  ): Promise<{ connectorState: string | null }>;
}

/** A consumer that can be stopped. */
export interface ConsumerHandle {
  /** Stops new deliveries; in-flight ones can still be acked. */
  cancel(): Promise<unknown>;
}

/** One broker connection: consume and publish. */
export interface BrokerPort extends PublisherPort {
  consume(
    queue: string,
    options: { prefetch: number },
    handler: (delivery: Delivery) => Promise<void>,
  ): Promise<ConsumerHandle>;
  /** Called with false when the connection drops and true once it is back (consumers resumed). */
  onConnectionChange?(listener: (connected: boolean) => void): void;
  /** Resolves when `queue` exists (a passive declare); rejects saying it does not. */
  checkQueue?(queue: string): Promise<void>;
  close(): Promise<unknown>;
}
