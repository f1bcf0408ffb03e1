/**
 * Platform versions: which ones we serve, and which registration fields the
 * version alone can vouch for when the platform does not describe its schema.
 *
 * OpenCTI 6.x versions are `major.minor.patch`. From 7 on, releases carry a
 * calendar version `7.YYMMDD.N` (e.g. `7.260807.0`: major 7, minor 260807,
 * patch 0), so every 7.x sorts after every 6.x. Long-term-support builds add a
 * suffix, `7.260309.0-lts.2` or `7.260309.0-lts1`; suffixes are ignored when
 * comparing, as the platform's own `semver.coerce` ignores them.
 *
 * @module
 */

import { OpenCtiError } from "../errors/mod.ts";

/** The oldest platform this connector talks to. */
export const MIN_SUPPORTED_VERSION = "6.8.0";

/** The platform versions the test suite runs against (the fake OpenCTI plays each). */
export const TESTED_VERSIONS: readonly string[] = ["6.8.10", "7.260807.0"];

/** The supported and tested platforms, in one sentence for `version` and `check`. */
export const SUPPORTED_PLATFORMS = `OpenCTI ${MIN_SUPPORTED_VERSION} and later (tested with ${
  TESTED_VERSIONS.join(" and ")
})`;

/** The first platform whose `RegisterConnectorInput` has `auto_update` and `enrichment_resolution`. */
export const ENRICHMENT_UPDATE_FIELDS_VERSION = "6.8.9";

/** A parsed `major.minor.patch` version. */
export interface ParsedVersion {
  major: number;
  minor: number;
  patch: number;
}

const VERSION_PATTERN = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+][0-9A-Za-z.+-]*)?$/;

/**
 * Parses `6.8.10`, `7.260807.0`, `7.260309.0-lts.2` or `7.260309.0-lts1` (an
 * optional `v` and any `-suffix`/`+build` are tolerated and dropped);
 * undefined when it is not a version.
 */
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
    return `Cannot parse the OpenCTI version "${version}": expected "major.minor.patch"; this connector supports ${SUPPORTED_PLATFORMS}`;
  }
  if (compareVersions(version, MIN_SUPPORTED_VERSION) < 0) {
    return `OpenCTI "${version}" is not supported: this connector supports ${SUPPORTED_PLATFORMS}`;
  }
  return undefined;
}

/**
 * True when a platform of `version` accepts `auto_update` and
 * `enrichment_resolution` at registration (6.8.9+). Used only when the
 * platform refuses to describe `RegisterConnectorInput`.
 */
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
