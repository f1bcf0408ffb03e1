/**
 * The OpenCTI GraphQL client (the only importer of graphql-request): version
 * and token check, registration by introspection, ping, work tracking, entity
 * reads, playbook answers and labels, with errors that name their cause and
 * the setting that fixes it.
 *
 * @module
 */

export {
  createOpenCtiClient,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type FetchLike,
  graphQlEndpoint,
  type OpenCtiClient,
  type OpenCtiClientOptions,
  type RetryPolicy,
  type TlsSettings,
} from "./client.ts";
export {
  ABOUT,
  ADD_LABEL,
  ALL_DOCUMENTS,
  API_COMPATIBILITY,
  type GraphQlDocument,
  labelFilter,
  ME,
  type NewerRegisterField,
  PING_CONNECTOR,
  PLAYBOOK_STEP_EXECUTION,
  READ_ENTITY,
  READ_LABEL,
  READ_STIX,
  REGISTER_CONNECTOR,
  REGISTER_CONNECTOR_LEGACY,
  REGISTER_CONNECTOR_LEGACY_WITH_METADATA,
  REGISTER_CONNECTOR_WITH_METADATA,
  REGISTRATION_DOCUMENTS,
  type RegistrationDocument,
  WORK_ADD_EXPECTATIONS,
  WORK_PING,
  WORK_TO_PROCESSED,
  WORK_TO_RECEIVED,
} from "./documents.ts";
export { buildHeaders, DRAFT_HEADER, type HeaderOptions } from "./headers.ts";
export type {
  AuthorRead,
  BrokerCoordinates,
  ConnectorInfo,
  EntityRead,
  MarkingRead,
  MeRead,
  PlaybookStepArgs,
  RegisterInput,
  Registration,
  RequestContext,
} from "./types.ts";
export {
  compareVersions,
  ENRICHMENT_UPDATE_FIELDS_VERSION,
  MIN_SUPPORTED_VERSION,
  type ParsedVersion,
  parseVersion,
  refuseVersion,
  SUPPORTED_PLATFORMS,
  supportsEnrichmentUpdateFields,
  TESTED_VERSIONS,
} from "./version.ts";
