// Over 300 lines: the catalogue of every document the connector sends, in one place on purpose.
/**
 * Every GraphQL document the connector sends, named, so the fake platform and
 * the schema tests see exactly what production sends. The body is
 * `{query, variables}` as pycti sends it; registration comes in variants,
 * because a platform rejects a document naming an input field it lacks.
 *
 * @module
 */

/** One GraphQL document and its operation name. */
export interface GraphQlDocument {
  /** The operation name, as the platform's logs show it. */
  name: string;
  /** The document text. */
  query: string;
}

function document(name: string, query: string): GraphQlDocument {
  return { name, query: query.trim() };
}

/** The platform version; also the token check (`AppInfo.version` needs authentication). */
export const ABOUT: GraphQlDocument = document(
  "About",
  `
query About {
  about {
    version
  }
}`,
);

/** The user the token belongs to, for diagnostics. */
export const ME: GraphQlDocument = document(
  "Me",
  `
query Me {
  me {
    id
    name
    user_email
  }
}`,
);

/** What the connector asks first: the version, and which fields `RegisterConnectorInput` has (pycti 7's query). */
export const API_COMPATIBILITY: GraphQlDocument = document(
  "ApiCompatibility",
  `
query ApiCompatibility {
  about {
    version
  }
  registerConnectorInput: __type(name: "RegisterConnectorInput") {
    inputFields {
      name
    }
  }
}`,
);

/** `RegisterConnectorInput` fields that only some platforms have: 6.8.9 added the first two, 7.x the last two. */
export type NewerRegisterField = "auto_update" | "enrichment_resolution" | "version" | "slug";

/** A `registerConnector` document and the newer input fields it sends. */
export interface RegistrationDocument extends GraphQlDocument {
  /** The fields beyond 6.8.0's input; a platform whose input lacks one rejects the whole document. */
  newerFields: readonly NewerRegisterField[];
}

const NEWER_FIELD_TYPES: Record<NewerRegisterField, string> = {
  auto_update: "Boolean",
  enrichment_resolution: "String",
  version: "String",
  slug: "String",
};

function registration(name: string, newerFields: NewerRegisterField[]): RegistrationDocument {
  const has = (field: NewerRegisterField) => newerFields.includes(field);
  const fields: [string, string][] = [
    ["id", "ID!"],
    ["name", "String!"],
    ["type", "ConnectorType!"],
    ["scope", "[String!]"],
    ["auto", "Boolean"],
    ...(["auto_update", "enrichment_resolution"] as const).filter(has).map((field) =>
      [field, NEWER_FIELD_TYPES[field]] as [string, string]
    ),
    ["only_contextual", "Boolean"],
    ["playbook_compatible", "Boolean"],
    ["listen_callback_uri", "String"],
    ...(["version", "slug"] as const).filter(has).map((field) =>
      [field, NEWER_FIELD_TYPES[field]] as [string, string]
    ),
  ];
  const query = `
mutation ${name}(
${fields.map(([field, type]) => `  $${field}: ${type}`).join("\n")}
) {
  registerConnector(
    input: {
${fields.map(([field]) => `      ${field}: $${field}`).join("\n")}
    }
  ) {
    id
    connector_state
    connector_user_id
    config {
      connection {
        host
        vhost
        use_ssl
        port
        user
        pass
      }
      listen
      listen_routing
      listen_exchange
      push
      push_routing
      push_exchange
    }
  }
}`;
  return { ...document(name, query), newerFields };
}

/** `registerConnector` with `auto_update` and `enrichment_resolution` (platforms 6.8.9 and later). */
export const REGISTER_CONNECTOR: RegistrationDocument = registration("RegisterConnector", [
  "auto_update",
  "enrichment_resolution",
]);

/** `registerConnector` with 6.8.0's input only (platforms 6.8.0–6.8.8). */
export const REGISTER_CONNECTOR_LEGACY: RegistrationDocument = registration(
  "RegisterConnectorLegacy",
  [],
);

/** `registerConnector` with the 6.8.9 fields plus the connector's `version` and `slug` (7.x platforms that have them). */
export const REGISTER_CONNECTOR_WITH_METADATA: RegistrationDocument = registration(
  "RegisterConnectorWithMetadata",
  ["auto_update", "enrichment_resolution", "version", "slug"],
);

/** `registerConnector` with `version` and `slug` but not the 6.8.9 fields, for an input that has only those. */
export const REGISTER_CONNECTOR_LEGACY_WITH_METADATA: RegistrationDocument = registration(
  "RegisterConnectorLegacyWithMetadata",
  ["version", "slug"],
);

/** Every registration document, fewest newer fields first. */
export const REGISTRATION_DOCUMENTS: readonly RegistrationDocument[] = [
  REGISTER_CONNECTOR_LEGACY,
  REGISTER_CONNECTOR,
  REGISTER_CONNECTOR_LEGACY_WITH_METADATA,
  REGISTER_CONNECTOR_WITH_METADATA,
];

/** The connector ping: state and connector info; the platform records it as the connector's heartbeat. */
export const PING_CONNECTOR: GraphQlDocument = document(
  "PingConnector",
  `
mutation PingConnector($id: ID!, $state: String, $connectorInfo: ConnectorInfoInput) {
  pingConnector(id: $id, state: $state, connectorInfo: $connectorInfo) {
    id
    connector_state
    connector_info {
      run_and_terminate
      buffering
      queue_threshold
      queue_messages_size
      next_run_datetime
      last_run_datetime
    }
  }
}`,
);

/** Work: the connector started processing the message. */
export const WORK_TO_RECEIVED: GraphQlDocument = document(
  "WorkToReceived",
  `
mutation WorkToReceived($id: ID!, $message: String) {
  workEdit(id: $id) {
    toReceived(message: $message)
  }
}`,
);

/** Work: the connector finished processing the message, possibly in error. */
export const WORK_TO_PROCESSED: GraphQlDocument = document(
  "WorkToProcessed",
  `
mutation WorkToProcessed($id: ID!, $message: String, $inError: Boolean) {
  workEdit(id: $id) {
    toProcessed(message: $message, inError: $inError)
  }
}`,
);

/** Work: the number of pushed messages the worker will report (negative takes some back). */
export const WORK_ADD_EXPECTATIONS: GraphQlDocument = document(
  "WorkAddExpectations",
  `
mutation WorkAddExpectations($id: ID!, $expectations: Int) {
  workEdit(id: $id) {
    addExpectations(expectations: $expectations)
  }
}`,
);

/** Work: keeps a long-running work from looking timed out. */
export const WORK_PING: GraphQlDocument = document(
  "WorkPing",
  `
mutation WorkPing($id: ID!) {
  workEdit(id: $id) {
    ping
  }
}`,
);

/** The entity to enrich, with its markings (for the TLP gate) and author. */
export const READ_ENTITY: GraphQlDocument = document(
  "ReadEntity",
  `
query ReadEntity($id: String!) {
  stixCoreObject(id: $id) {
    id
    standard_id
    entity_type
    objectMarking {
      id
      standard_id
      entity_type
      definition_type
      definition
      x_opencti_order
      x_opencti_color
      created
      modified
    }
    createdBy {
      id
      standard_id
      entity_type
      name
      identity_class
    }
    ... on StixCyberObservable {
      observable_value
      x_opencti_score
    }
  }
}`,
);

/** The entity in the platform's STIX export, as a JSON string. */
export const READ_STIX: GraphQlDocument = document(
  "ReadStix",
  `
query ReadStix($id: String!) {
  stix(id: $id)
}`,
);

/** Hands the resulting bundle back to a playbook, which waits for it to run its next step. */
export const PLAYBOOK_STEP_EXECUTION: GraphQlDocument = document(
  "PlaybookStepExecution",
  `
mutation PlaybookStepExecution(
  $execution_id: ID!
  $event_id: ID!
  $execution_start: DateTime!
  $data_instance_id: ID!
  $playbook_id: ID!
  $previous_step_id: ID!
  $step_id: ID!
  $previous_bundle: String!
  $bundle: String!
) {
  playbookStepExecution(
    execution_id: $execution_id
    event_id: $event_id
    execution_start: $execution_start
    data_instance_id: $data_instance_id
    playbook_id: $playbook_id
    previous_step_id: $previous_step_id
    step_id: $step_id
    previous_bundle: $previous_bundle
    bundle: $bundle
  )
}`,
);

/** Looks a label up by value; variables from {@link labelFilter}. */
export const READ_LABEL: GraphQlDocument = document(
  "ReadLabel",
  `
query ReadLabel($filters: FilterGroup) {
  labels(filters: $filters, first: 1) {
    edges {
      node {
        id
        value
        color
      }
    }
  }
}`,
);

/** Creates a label. */
export const ADD_LABEL: GraphQlDocument = document(
  "AddLabel",
  `
mutation AddLabel($input: LabelAddInput!) {
  labelAdd(input: $input) {
    id
    value
    color
  }
}`,
);

/** Every document the connector can send. */
export const ALL_DOCUMENTS: readonly GraphQlDocument[] = [
  ABOUT,
  ME,
  API_COMPATIBILITY,
  ...REGISTRATION_DOCUMENTS,
  PING_CONNECTOR,
  WORK_TO_RECEIVED,
  WORK_TO_PROCESSED,
  WORK_ADD_EXPECTATIONS,
  WORK_PING,
  READ_ENTITY,
  READ_STIX,
  PLAYBOOK_STEP_EXECUTION,
  READ_LABEL,
  ADD_LABEL,
];

/** The filter group pycti uses to find a label by exact value. */
export function labelFilter(value: string): {
  mode: "and";
  filters: { key: string; values: string[] }[];
  filterGroups: never[];
} {
  return { mode: "and", filters: [{ key: "value", values: [value] }], filterGroups: [] };
}
