/**
 * The shapes the client takes and returns. The runtime's ports
 * (`LifecyclePort`, `PlatformPort` in lib/connector) own the shared ones,
 * which this adapter re-exports; the reads here extend the port's narrower
 * reads with the fields only the client's other callers use.
 *
 * @module
 */

import type {
  EntityRead as PortEntityRead,
  MarkingRead as PortMarkingRead,
} from "../connector/mod.ts";

export type {
  BrokerCoordinates,
  ConnectorInfo,
  PlaybookStepArgs,
  RegisterInput,
  Registration,
  RequestContext,
} from "../connector/mod.ts";

/** A marking as the entity read returns it. */
export interface MarkingRead extends PortMarkingRead {
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
export interface EntityRead extends PortEntityRead {
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

/** The user the token belongs to. */
export interface MeRead {
  id: string;
  name: string;
  userEmail: string;
}
