/**
 * Deterministic ids of SDOs, SROs and meta objects as pycti's `generate_id`
 * functions and the platform derive them (opencti
 * opencti-platform/opencti-graphql/src/schema/identifier.js; client-python
 * pycti/entities/*.py `generate_id`).
 *
 * @module
 */

import { canonicalize } from "./canonicalize.ts";
import { StixError } from "./errors.ts";
import { formatTimestamp, type Timestamp } from "./_timestamp.ts";
import { parseTlp, TLP_MARKING_IDS } from "./tlp.ts";
import { stixIdFromName } from "./uuid_v5.ts";

/** Input of {@link relationshipId}. */
export interface RelationshipIdInput {
  /** E.g. `related-to`, `belongs-to`. */
  relationshipType: string;
  /** Id of the source object. */
  sourceRef: string;
  /** Id of the target object. */
  targetRef: string;
  /** Counted only when given. */
  startTime?: Timestamp | undefined;
  /** Counted only when `startTime` is also given. */
  stopTime?: Timestamp | undefined;
}

/** The id of a core relationship (pycti `StixCoreRelationship.generate_id`). */
export function relationshipId(input: RelationshipIdInput): string {
  const name: Record<string, unknown> = {
    relationship_type: required(input.relationshipType, "relationship_type", "relationship"),
    source_ref: required(input.sourceRef, "source_ref", "relationship"),
    target_ref: required(input.targetRef, "target_ref", "relationship"),
  };
  const { startTime, stopTime } = input;
  addTimeBounds(name, "relationship", ["start_time", startTime], ["stop_time", stopTime]);
  return stixIdFromName("relationship", canonicalize(name));
}

/** The location kinds OpenCTI knows (`x_opencti_location_type`). */
export type LocationType = "Country" | "City" | "Region" | "Position" | "Administrative-Area";

/** Input of {@link locationId}. */
export interface LocationIdInput {
  /** Display name; lower-cased and trimmed for the id. */
  name: string;
  /** The OpenCTI location kind. */
  locationType: LocationType;
  /** Used for `Position` only. */
  latitude?: number | undefined;
  /** Used for `Position` only. */
  longitude?: number | undefined;
}

/**
 * The id of a location (pycti `Location.generate_id`): a `Position` by its
 * coordinates (else its name), an `Administrative-Area` by its name only (as
 * the platform does), any other kind by name and kind.
 */
export function locationId(input: LocationIdInput): string {
  const { locationType, latitude, longitude } = input;
  let name: Record<string, unknown>;
  if (locationType === "Position" && (latitude !== undefined || longitude !== undefined)) {
    name = {};
    if (latitude !== undefined) name.latitude = finite(latitude, "latitude");
    if (longitude !== undefined) name.longitude = finite(longitude, "longitude");
  } else if (locationType === "Position" || locationType === "Administrative-Area") {
    name = { name: lc(input.name, "name", "location") };
  } else {
    name = {
      name: lc(input.name, "name", "location"),
      x_opencti_location_type: required(locationType, "x_opencti_location_type", "location"),
    };
  }
  return stixIdFromName("location", canonicalize(name));
}

/** The id of an identity (pycti `Identity.generate_id`): `{name: lc(name), identity_class: lower(class)}`. */
export function identityId(name: string, identityClass: string): string {
  return stixIdFromName(
    "identity",
    canonicalize({
      name: lc(name, "name", "identity"),
      identity_class: required(identityClass, "identity_class", "identity").toLowerCase(),
    }),
  );
}

/** The id of a note (pycti `Note.generate_id`): trimmed content, plus `created` when given. */
export function noteId(content: string, created?: Timestamp): string {
  const name: Record<string, unknown> = { content: trimmed(content, "content", "note") };
  if (created !== undefined) {
    name.created = formatTimestamp(created, { property: "created", stixType: "note" });
  }
  return stixIdFromName("note", canonicalize(name));
}

/** The id of an indicator (pycti `Indicator.generate_id`): the trimmed pattern. */
export function indicatorId(pattern: string): string {
  return stixIdFromName(
    "indicator",
    canonicalize({ pattern: trimmed(pattern, "pattern", "indicator") }),
  );
}

/**
 * The id of an observed-data (pycti `ObservedData.generate_id`): the object
 * ids in the order given, so callers sort them first.
 */
export function observedDataId(objectIds: readonly string[]): string {
  if (objectIds.length === 0) {
    throw new StixError("Cannot derive an observed-data id without object refs", {
      stixType: "observed-data",
      property: "object_refs",
    });
  }
  objectIds.forEach((id) => required(id, "object_refs", "observed-data"));
  return stixIdFromName("observed-data", canonicalize({ objects: [...objectIds] }));
}

/** Input of {@link externalReferenceId}. */
export interface ExternalReferenceIdInput {
  /** When given, the id depends on it alone. */
  url?: string | undefined;
  /** Used with `externalId` when there is no URL. */
  sourceName?: string | undefined;
  /** Used with `sourceName` when there is no URL. */
  externalId?: string | undefined;
}

/** The id of an external reference (pycti `ExternalReference.generate_id`): `{url}` or `{source_name, external_id}`. */
export function externalReferenceId(input: ExternalReferenceIdInput): string {
  let name: Record<string, unknown>;
  if (input.url !== undefined) {
    name = { url: input.url };
  } else if (input.sourceName !== undefined && input.externalId !== undefined) {
    name = { source_name: input.sourceName, external_id: input.externalId };
  } else {
    throw new StixError(
      "Cannot derive an external-reference id: it needs a url, or a source_name and an external_id",
      { stixType: "external-reference" },
    );
  }
  return stixIdFromName("external-reference", canonicalize(name));
}

/** Input of {@link sightingId}. */
export interface SightingIdInput {
  /** What was sighted. */
  sightingOfRef: string;
  /** Where it was sighted, in the order given. */
  whereSightedRefs: readonly string[];
  /** Counted only when given. */
  firstSeen?: Timestamp | undefined;
  /** Counted only when `firstSeen` is also given. */
  lastSeen?: Timestamp | undefined;
}

/** The id of a sighting (pycti `StixSightingRelationship.generate_id`). */
export function sightingId(input: SightingIdInput): string {
  const name: Record<string, unknown> = {
    type: "sighting",
    sighting_of_ref: required(input.sightingOfRef, "sighting_of_ref", "sighting"),
    where_sighted_refs: input.whereSightedRefs.map((ref) =>
      required(ref, "where_sighted_refs", "sighting")
    ),
  };
  addTimeBounds(name, "sighting", ["first_seen", input.firstSeen], ["last_seen", input.lastSeen]);
  return stixIdFromName("sighting", canonicalize(name));
}

/**
 * The id of a marking definition (pycti `MarkingDefinition.generate_id`):
 * the fixed id of a TLP level when `definitionType` is `TLP`, else derived
 * from `{definition_type, definition}`.
 */
export function markingDefinitionId(definitionType: string, definition: string): string {
  if (definitionType === "TLP") {
    const level = parseTlp(definition);
    if (level !== "unknown" && definition === level) return TLP_MARKING_IDS[level];
  }
  return stixIdFromName(
    "marking-definition",
    canonicalize({
      definition_type: required(definitionType, "definition_type", "marking-definition"),
      definition: required(definition, "definition", "marking-definition"),
    }),
  );
}

/**
 * Adds a relationship's or sighting's time bounds to its id name, formatted:
 * the start when given, the stop only along with the start.
 */
function addTimeBounds(
  name: Record<string, unknown>,
  stixType: string,
  [startProperty, start]: [string, Timestamp | undefined],
  [stopProperty, stop]: [string, Timestamp | undefined],
): void {
  if (start === undefined) return;
  name[startProperty] = formatTimestamp(start, { property: startProperty, stixType });
  if (stop !== undefined) {
    name[stopProperty] = formatTimestamp(stop, { property: stopProperty, stixType });
  }
}

/** The platform's `lc()`: lower-case, then trim; refuses an empty result. */
function lc(value: string, property: string, stixType: string): string {
  const result = required(value, property, stixType).toLowerCase().trim();
  if (result === "") {
    throw new StixError(`Invalid ${stixType} ${property}: it is blank`, { stixType, property });
  }
  return result;
}

function trimmed(value: string, property: string, stixType: string): string {
  const result = required(value, property, stixType).trim();
  if (result === "") {
    throw new StixError(`Invalid ${stixType} ${property}: it is blank`, { stixType, property });
  }
  return result;
}

function required(value: unknown, property: string, stixType: string): string {
  if (typeof value !== "string" || value === "") {
    throw new StixError(`Invalid ${stixType} ${property}: expected a non-empty string`, {
      stixType,
      property,
    });
  }
  return value;
}

function finite(value: number, property: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new StixError(`Invalid location ${property} "${String(value)}": expected a number`, {
      stixType: "location",
      property,
    });
  }
  return value;
}
