/**
 * The shapes the client takes and returns. They mirror, field for field, the
 * runtime's ports (`LifecyclePort`, `PlatformPort`) so the client can be passed
 * where those are expected without this folder depending on the runtime.
 *
 * @module
 */

/** A marking as the entity read returns it. */
export interface MarkingRead {
  id: string;
  standardId: string;
  definitionType: string | null;
  definition: string | null;
  /** `x_opencti_order`: the rank of the marking within its definition type. */
  order: number;
  color: string | null;
}

/** The author of an entity, when it has one. */
export interface AuthorRead {
  id: string;
  standardId: string;
  entityType: string;
  name: string;
  identityClass: string;
}

/** The entity as `stixCoreObject(id:)` returns it. */
export interface EntityRead {
  /** The platform's internal id. */
  id: string;
  standardId: string;
  entityType: string;
  objectMarking: MarkingRead[];
  createdBy: AuthorRead | null;
  /** Set for observables only. */
  observableValue: string | null;
  /** `x_opencti_score`, set for observables only. */
  score: number | null;
}

/** Per-request GraphQL context. */
export interface RequestContext {
  /** Sent as `opencti-draft-id` when set. */
  draftId?: string | null;
}

/** The arguments of `playbookStepExecution`, in the platform's names. */
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

/** The input of `registerConnector`, in the platform's field names. */
export interface RegisterInput {
  id: string;
  name: string;
  type: "INTERNAL_ENRICHMENT";
  scope: string[];
  auto: boolean;
  /** Sent only when the platform's input has it (6.8.9 and later). */
  auto_update: boolean;
  /** Sent only when the platform's input has it (6.8.9 and later). */
  enrichment_resolution: string;
  only_contextual: boolean;
  playbook_compatible: boolean;
  listen_callback_uri: null;
  /** The connector program's version, e.g. `0.1.0`; sent with `slug` when the platform's input has both (7.x). */
  version?: string;
  /** The connector's own slug, e.g. `opencti-enrich-silentpush`; sent with `version` when the platform's input has both. */
  slug?: string;
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

/** What `registerConnector` returns. */
export interface Registration {
  id: string;
  /** JSON text, or null when the connector has no state. */
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

/** The `connectorInfo` of a ping. */
export interface ConnectorInfo {
  run_and_terminate: boolean;
  buffering: boolean;
  queue_threshold: number;
  queue_messages_size: number;
  next_run_datetime: string | null;
  last_run_datetime: string | null;
}

/** The user the token belongs to. */
export interface MeRead {
  id: string;
  name: string;
  userEmail: string;
}
