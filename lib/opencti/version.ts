/**
 * Platform versions: which ones we serve, and which registration fields they
 * accept (opencti-protocol.md §2.3, §11).
 *
 * @module
 */

import { OpenCtiError } from "../errors/mod.ts";

/** The oldest platform this connector talks to. */
export const MIN_SUPPORTED_VERSION = "6.8.0";

/** The first platform whose `RegisterConnectorInput` has `auto_update` and `enrichment_resolution`. */
export const ENRICHMENT_UPDATE_FIELDS_VERSION = "6.8.9";

/** A parsed `major.minor.patch` version. */
export interface ParsedVersion {
  major: number;
  minor: number;
  patch: number;
}

const VERSION_PATTERN = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/;

/** Parses `6.8.10` (an optional `v` and a `-rc1`/`+build` suffix are tolerated); undefined when it is not a version. */
export function parseVersion(version: string): ParsedVersion | undefined {
  const match = VERSION_PATTERN.exec(version.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`; throws on an unparseable version. */
export function compareVersions(a: string, b: string): number {
  const left = parseOrThrow(a);
  const right = parseOrThrow(b);
  return left.major - right.major || left.minor - right.minor || left.patch - right.patch;
}

/** Why this connector refuses to run against `version`, or undefined when it is served (6.8.0 and later). */
export function refuseVersion(version: string): string | undefined {
  if (!parseVersion(version)) {
    return `Cannot parse the OpenCTI version "${version}": expected "major.minor.patch", and this connector needs OpenCTI ${MIN_SUPPORTED_VERSION} or later`;
  }
  if (compareVersions(version, MIN_SUPPORTED_VERSION) < 0) {
    return `OpenCTI "${version}" is not supported: this connector needs OpenCTI ${MIN_SUPPORTED_VERSION} or later`;
  }
  return undefined;
}

/** True for the 6.8.x line this connector was tested against; later versions run with a warning. */
export function isTestedVersion(version: string): boolean {
  const parsed = parseVersion(version);
  return parsed !== undefined && parsed.major === 6 && parsed.minor === 8;
}

/** True when the platform accepts `auto_update` and `enrichment_resolution` at registration (6.8.9+). */
export function supportsEnrichmentUpdateFields(version: string): boolean {
  return parseVersion(version) !== undefined &&
    compareVersions(version, ENRICHMENT_UPDATE_FIELDS_VERSION) >= 0;
}

function parseOrThrow(version: string): ParsedVersion {
  const parsed = parseVersion(version);
  if (parsed) return parsed;
  throw new OpenCtiError(`Cannot parse the OpenCTI version "${version}"`, {
    kind: "unsupported_version",
  });
}
