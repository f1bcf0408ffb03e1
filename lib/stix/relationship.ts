/**
 * Core relationships between the objects a vendor returns.
 *
 * @module
 */

import {
  checkRef,
  domainObject,
  type DomainOptions,
  fail,
  optionalText,
  optionalTimestamp,
  whereIn,
} from "./_properties.ts";
import type { Timestamp } from "./_timestamp.ts";
import { relationshipId } from "./opencti_id.ts";
import type { StixObject } from "./types.ts";

/** Properties of {@link relationship}. */
export interface RelationshipProperties {
  /** E.g. `related-to`, `belongs-to`, `resolves-to`, `located-at`. */
  relationshipType: string;
  /** Id of the source object. */
  sourceRef: string;
  /** Id of the target object. */
  targetRef: string;
  /** `description`. */
  description?: string | undefined;
  /** `start_time`. */
  startTime?: Timestamp | undefined;
  /** `stop_time`, later than `start_time`. */
  stopTime?: Timestamp | undefined;
  /**
   * When true the id also covers start/stop time (pycti's full rule). False by
   * default, so the same pair always gets the same id.
   */
  timesInId?: boolean | undefined;
}

const RELATIONSHIP_TYPE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Builds a `relationship` with pycti's `StixCoreRelationship.generate_id` id. */
export function relationship(
  properties: RelationshipProperties,
  options: DomainOptions = {},
): StixObject {
  const where = whereIn("relationship");
  const type = properties.relationshipType;
  if (typeof type !== "string" || !RELATIONSHIP_TYPE.test(type)) {
    fail(where("relationship_type"), `"${String(type)}" is not a lower-case, hyphenated type`);
  }
  const sourceRef = checkRef(properties.sourceRef, where("source_ref"));
  const targetRef = checkRef(properties.targetRef, where("target_ref"));
  if (sourceRef === targetRef) fail(where("target_ref"), "an object cannot be related to itself");
  const startTime = optionalTimestamp(properties.startTime, where("start_time"));
  const stopTime = optionalTimestamp(properties.stopTime, where("stop_time"));
  if (startTime !== undefined && stopTime !== undefined && stopTime <= startTime) {
    fail(where("stop_time"), `"${stopTime}" is not later than start_time "${startTime}"`);
  }
  const id = relationshipId({
    relationshipType: type,
    sourceRef,
    targetRef,
    ...(properties.timesInId ? { startTime, stopTime } : {}),
  });
  return domainObject("relationship", id, {
    relationship_type: type,
    description: optionalText(properties.description, where("description")),
    source_ref: sourceRef,
    target_ref: targetRef,
    start_time: startTime,
    stop_time: stopTime,
  }, options);
}
