/**
 * Name-based UUIDs (RFC 4122 version 5, SHA-1), the basis of deterministic STIX ids.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { StixError } from "./errors.ts";

/** The STIX 2.1 id namespace (cti-python-stix2 `SCO_DET_ID_NAMESPACE`, OpenCTI `OASIS_NAMESPACE`). */
export const STIX_ID_NAMESPACE = "00abedb4-aa42-466c-9c01-fed23315a9b7";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns the version-5 UUID of `name` (UTF-8 encoded) in `namespace`, lower-case. */
export function uuidV5(namespace: string, name: string): string {
  if (!UUID_PATTERN.test(namespace)) {
    throw new StixError(`Invalid UUID namespace "${namespace}"`);
  }
  const hash = createHash("sha1")
    .update(Buffer.from(namespace.replaceAll("-", ""), "hex"))
    .update(name, "utf8")
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join("-");
}

/** Returns `<type>--<uuidV5(STIX namespace, canonicalName)>`. */
export function stixIdFromName(type: string, canonicalName: string): string {
  return `${type}--${uuidV5(STIX_ID_NAMESPACE, canonicalName)}`;
}
