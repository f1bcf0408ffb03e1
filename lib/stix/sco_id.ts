/**
 * Deterministic ids of STIX Cyber-observable Objects: the STIX 2.1 rule
 * (cti-python-stix2 `_Observable._generate_id`) plus the platform's value
 * normalisations, so our ids equal the platform's standard ids.
 *
 * @module
 */

import { canonicalize } from "./canonicalize.ts";
import { chooseOneHash, normaliseHashes } from "./_hashes.ts";
import { StixError } from "./errors.ts";
import { stixIdFromName } from "./uuid_v5.ts";

/** SCO types whose id is `{value}`. */
export const VALUE_SCO_TYPES = [
  "ipv4-addr",
  "ipv6-addr",
  "domain-name",
  "url",
  "email-addr",
  "mac-addr",
  "hostname",
] as const;

/** An SCO type identified by its `value`. */
export type ValueScoType = typeof VALUE_SCO_TYPES[number];

/** Every SCO type {@link scoId} can identify. */
export const ID_SCO_TYPES = [
  ...VALUE_SCO_TYPES,
  "autonomous-system",
  "file",
  "x509-certificate",
] as const;

/** The id-contributing properties of each supported type (STIX 2.1 §6, pycti Hostname). */
const CONTRIBUTING: Record<typeof ID_SCO_TYPES[number], readonly string[]> = {
  "ipv4-addr": ["value"],
  "ipv6-addr": ["value"],
  "domain-name": ["value"],
  "url": ["value"],
  "email-addr": ["value"],
  "mac-addr": ["value"],
  "hostname": ["value"],
  "autonomous-system": ["number"],
  "file": ["hashes", "name", "extensions", "parent_directory_ref"],
  "x509-certificate": ["hashes", "serial_number"],
};

/** The platform lower-cases these values on creation; ids must follow. */
const LOWER_CASED = new Set<string>(["domain-name", "email-addr"]);

/** Returns true when {@link scoId} knows the type. */
export function isValueScoType(type: string): type is ValueScoType {
  return (VALUE_SCO_TYPES as readonly string[]).includes(type);
}

/**
 * Returns the STIX 2.1 deterministic id of an SCO from its properties (STIX
 * spelling). Only the id-contributing properties that are present count;
 * `hashes` contributes one hash (MD5 > SHA-1 > SHA-256 > SHA-512 > first).
 * `domain-name` and `email-addr` values are lower-cased as the platform does.
 * Throws a {@link StixError} for an unknown type or when no contributing
 * property is present.
 */
export function scoId(type: string, properties: Record<string, unknown>): string {
  const contributing = (CONTRIBUTING as Record<string, readonly string[] | undefined>)[type];
  if (contributing === undefined) {
    throw new StixError(
      `Cannot derive an id for STIX type "${type}": use one of ${ID_SCO_TYPES.join(", ")}`,
      { stixType: type },
    );
  }
  const name: Record<string, unknown> = {};
  for (const key of contributing) {
    const value = properties[key];
    if (value === undefined || value === null) continue;
    const contributed = contribution(type, key, value);
    if (contributed !== undefined) name[key] = contributed;
  }
  if (Object.keys(name).length === 0) {
    throw new StixError(
      `Cannot derive an id for STIX type "${type}": it needs ${describe(contributing)}`,
      { stixType: type, property: contributing[0] ?? "value" },
    );
  }
  return stixIdFromName(type, canonicalize(name));
}

function contribution(type: string, key: string, value: unknown): unknown {
  if (key === "hashes") {
    const chosen = chooseOneHash(normaliseHashes(value, type));
    // An empty hashes object says nothing about the object, so it does not count.
    return Object.keys(chosen).length === 0 ? undefined : chosen;
  }
  if (key === "value") {
    if (typeof value !== "string" || value === "") {
      throw new StixError(`Invalid ${type} value: expected a non-empty string`, {
        stixType: type,
        property: "value",
      });
    }
    return LOWER_CASED.has(type) ? value.toLowerCase() : value;
  }
  if (key === "number" && !(typeof value === "number" && Number.isInteger(value))) {
    throw new StixError(`Invalid ${type} number "${String(value)}": expected an integer`, {
      stixType: type,
      property: "number",
    });
  }
  return value;
}

function describe(keys: readonly string[]): string {
  if (keys.length === 1) return `a "${keys[0]}"`;
  return `one of ${keys.map((key) => `"${key}"`).join(", ")}`;
}
