/**
 * Checks and assembly shared by the object builders: the common OpenCTI
 * properties, validation with clear errors, and python-stix2's rule of
 * leaving out `undefined`/`null` values and empty lists.
 *
 * @module
 */

import { StixError } from "./errors.ts";
import { formatTimestamp, type Timestamp } from "./_timestamp.ts";
import type { ExternalReference, StixObject } from "./types.ts";

/** Properties OpenCTI reads on every object these builders make. */
export interface CommonOptions {
  /** Id of the author identity. */
  createdByRef?: string | undefined;
  /** Ids of marking definitions, e.g. a TLP marking. */
  markingRefs?: readonly string[] | undefined;
  /** External references shown on the object. */
  externalReferences?: readonly ExternalReference[] | undefined;
  /** Label values (not ids). */
  labels?: readonly string[] | undefined;
}

/** Common options of SDOs and relationships. */
export interface DomainOptions extends CommonOptions {
  /** `created`; left out when not given (the platform sets it). */
  created?: Timestamp | undefined;
  /** `modified`; left out when not given. */
  modified?: Timestamp | undefined;
}

/** Where a check runs, for error messages. */
interface Where {
  stixType: string;
  property: string;
}

/** The bounds a number must stay within, both included. */
type Range = { min: number; max: number };

const STIX_ID =
  /^[a-z0-9][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Returns a copy without `undefined`/`null` values and empty arrays (python-stix2 drops them too). */
export function compact(properties: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    result[key] = value;
  }
  return result;
}

/** Throws a {@link StixError} about one property. */
export function fail(where: Where, problem: string): never {
  throw new StixError(`Invalid ${where.stixType} ${where.property}: ${problem}`, where);
}

/** Checks a STIX id (`<type>--<uuid>`), optionally of given types. */
export function checkRef(
  value: unknown,
  where: Where,
  types?: readonly string[],
): string {
  if (typeof value !== "string" || !STIX_ID.test(value)) {
    fail(where, `"${String(value)}" is not a STIX id like "ipv4-addr--<uuid>"`);
  }
  if (types !== undefined && !types.includes(value.slice(0, value.indexOf("--")))) {
    fail(where, `"${value}" is not an id of type ${types.map((type) => `"${type}"`).join(" or ")}`);
  }
  return value;
}

/** Checks a list of STIX ids; `undefined` stays `undefined`. */
export function checkRefs(
  values: readonly unknown[] | undefined,
  where: Where,
  types?: readonly string[],
): string[] | undefined {
  if (values === undefined) return undefined;
  if (!Array.isArray(values)) fail(where, "expected a list of STIX ids");
  return values.map((value) => checkRef(value, where, types));
}

/** Checks a non-empty string. */
export function checkText(value: unknown, where: Where): string {
  if (typeof value !== "string" || value.trim() === "") fail(where, "expected a non-empty string");
  return value;
}

/** Checks an optional string; `undefined` stays `undefined`. */
export function optionalText(value: unknown, where: Where): string | undefined {
  return value === undefined ? undefined : checkText(value, where);
}

/** Checks a required non-empty string: missing, "it is required". */
export function requiredText(value: unknown, where: Where): string {
  if (value === undefined) fail(where, "it is required");
  return checkText(value, where);
}

/** The {@link Where} of each property of one STIX type. */
export function whereIn(stixType: string): (property: string) => Where {
  return (property) => ({ stixType, property });
}

/** Checks an integer in `[min, max]`; `undefined` stays `undefined`. */
export function optionalInteger(value: unknown, where: Where, range: Range): number | undefined {
  return optionalInRange(value, where, range, Number.isInteger, "an integer");
}

/** Checks a finite number in `[min, max]`; `undefined` stays `undefined`. */
export function optionalNumber(value: unknown, where: Where, range: Range): number | undefined {
  return optionalInRange(value, where, range, Number.isFinite, "a number");
}

/** Checks a number that `accepts` (else it "is not `expected`") in `[min, max]`. */
function optionalInRange(
  value: unknown,
  where: Where,
  range: Range,
  accepts: (value: number) => boolean,
  expected: string,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !accepts(value)) {
    fail(where, `"${String(value)}" is not ${expected}`);
  }
  if (value < range.min || value > range.max) {
    fail(where, `${value} is outside ${range.min}–${range.max}`);
  }
  return value;
}

/** Formats an optional timestamp; `undefined` stays `undefined`. */
export function optionalTimestamp(value: Timestamp | undefined, where: Where): string | undefined {
  return value === undefined ? undefined : formatTimestamp(value, where);
}

/** Checks label values: non-empty strings, kept in the given order. */
export function checkLabels(
  values: readonly unknown[] | undefined,
  where: Where,
): string[] | undefined {
  if (values === undefined) return undefined;
  if (!Array.isArray(values)) fail(where, "expected a list of strings");
  return values.map((value) => checkText(value, where));
}

/** Checks external references: a `source_name` and at least one of description, url, external_id. */
export function checkExternalReferences(
  values: readonly ExternalReference[] | undefined,
  stixType: string,
  property: string,
): ExternalReference[] | undefined {
  if (values === undefined) return undefined;
  const where = { stixType, property };
  if (!Array.isArray(values)) fail(where, "expected a list of external references");
  return values.map((reference) => {
    if (typeof reference !== "object" || reference === null) {
      fail(where, "each entry must be an object");
    }
    const sourceName = checkText(reference.source_name, {
      stixType,
      property: `${property}.source_name`,
    });
    const description = optionalText(reference.description, {
      stixType,
      property: `${property}.description`,
    });
    const url = optionalText(reference.url, { stixType, property: `${property}.url` });
    const externalId = optionalText(reference.external_id, {
      stixType,
      property: `${property}.external_id`,
    });
    if (description === undefined && url === undefined && externalId === undefined) {
      fail(
        where,
        `the reference from "${sourceName}" needs a description, a url or an external_id`,
      );
    }
    return compact({
      source_name: sourceName,
      description,
      url,
      external_id: externalId,
    }) as unknown as ExternalReference;
  });
}

/** The properties {@link CommonOptions} add to an SDO or relationship. */
export function domainProperties(
  options: DomainOptions,
  stixType: string,
): Record<string, unknown> {
  return {
    created: optionalTimestamp(options.created, { stixType, property: "created" }),
    modified: optionalTimestamp(options.modified, { stixType, property: "modified" }),
    created_by_ref: options.createdByRef === undefined
      ? undefined
      : checkRef(options.createdByRef, { stixType, property: "created_by_ref" }, ["identity"]),
    labels: checkLabels(options.labels, { stixType, property: "labels" }),
    object_marking_refs: checkRefs(
      options.markingRefs,
      { stixType, property: "object_marking_refs" },
      ["marking-definition"],
    ),
    external_references: checkExternalReferences(
      options.externalReferences,
      stixType,
      "external_references",
    ),
  };
}

/**
 * Assembles an SDO or relationship: type, spec_version, id, its own
 * properties, then those of {@link DomainOptions}; empty values left out.
 */
export function domainObject(
  stixType: string,
  id: string,
  specific: Record<string, unknown>,
  options: DomainOptions,
): StixObject {
  return compact({
    type: stixType,
    spec_version: "2.1",
    id,
    ...specific,
    ...domainProperties(options, stixType),
  }) as StixObject;
}
