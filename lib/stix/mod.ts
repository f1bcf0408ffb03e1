/**
 * STIX 2.1 core: deterministic ids (RFC 8785 + UUIDv5, pycti's rules),
 * object builders emitting the properties OpenCTI reads, TLP markings and
 * the max-TLP gate, the bundle, and pycti's splitter.
 *
 * @module
 */

export { StixError } from "./errors.ts";
export type { ExternalReference, SplitStixBundle, StixBundle, StixObject } from "./types.ts";

export { canonicalize } from "./canonicalize.ts";
export { STIX_ID_NAMESPACE, stixIdFromName, uuidV5 } from "./uuid_v5.ts";
export {
  ID_SCO_TYPES,
  isValueScoType,
  scoId,
  VALUE_SCO_TYPES,
  type ValueScoType,
} from "./sco_id.ts";
export {
  externalReferenceId,
  type ExternalReferenceIdInput,
  identityId,
  indicatorId,
  locationId,
  type LocationIdInput,
  type LocationType,
  markingDefinitionId,
  noteId,
  observedDataId,
  relationshipId,
  type RelationshipIdInput,
  sightingId,
  type SightingIdInput,
} from "./opencti_id.ts";
export type { Timestamp } from "./_timestamp.ts";

export {
  isTlpAllowed,
  parseTlp,
  TLP_LEVELS,
  TLP_MARKING_IDS,
  type TlpLevel,
  tlpRank,
} from "./tlp.ts";
export { tlpMarking } from "./markings.ts";

export type { CommonOptions, DomainOptions } from "./_properties.ts";
export {
  autonomousSystem,
  type AutonomousSystemOptions,
  domainName,
  emailAddr,
  file,
  type FileProperties,
  hostname,
  ipv4Addr,
  ipv6Addr,
  macAddr,
  type ObservableOptions,
  url,
  valueObservable,
  x509Certificate,
  type X509CertificateProperties,
} from "./observables.ts";
export { countryLocation, type CountryProperties } from "./location.ts";
export { organizationIdentity, type OrganizationProperties } from "./identity.ts";
export { observedData, type ObservedDataProperties } from "./observed_data.ts";
export { relationship, type RelationshipProperties } from "./relationship.ts";
export { withAuthor } from "./author.ts";
export {
  isObservableType,
  OBSERVABLE_TYPES,
  OPENCTI_EXTENSION,
  OPENCTI_SCO_EXTENSION,
  openCtiEntityType,
  SPLITTER_TYPES,
  stixTypeOf,
} from "./stix_types.ts";

export { createBundle, type CreateBundleOptions } from "./bundle.ts";
export { splitBundle, type SplitBundleOptions, type SplitBundleResult } from "./splitter.ts";
