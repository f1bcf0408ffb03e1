/**
 * Builders of STIX Cyber-observable Objects carrying the properties OpenCTI
 * reads on observables: `x_opencti_score`, `x_opencti_description`,
 * `x_opencti_labels`, `x_opencti_created_by_ref`,
 * `x_opencti_external_references` and `object_marking_refs`.
 *
 * @module
 */

import { normaliseHashes } from "./_hashes.ts";
import {
  checkExternalReferences,
  checkLabels,
  checkRef,
  checkRefs,
  checkText,
  type CommonOptions,
  compact,
  fail,
  optionalInteger,
  optionalText,
  optionalTimestamp,
} from "./_properties.ts";
import type { Timestamp } from "./_timestamp.ts";
import { isValueScoType, scoId, type ValueScoType } from "./sco_id.ts";
import type { StixObject } from "./types.ts";

/** Options every observable builder takes. */
export interface ObservableOptions extends CommonOptions {
  /** `x_opencti_score`, an integer 0–100. */
  score?: number | undefined;
  /** `x_opencti_description`. */
  description?: string | undefined;
}

/**
 * Builds an SCO identified by its `value` (`ipv4-addr`, `ipv6-addr`,
 * `domain-name`, `hostname`, `url`, `email-addr`, `mac-addr`). Domain and
 * email values are lower-cased, as the platform stores them.
 */
export function valueObservable(
  type: ValueScoType,
  value: string,
  options: ObservableOptions = {},
): StixObject {
  if (!isValueScoType(type)) {
    fail({ stixType: String(type), property: "type" }, "not an observable identified by a value");
  }
  const checked = checkText(value, { stixType: type, property: "value" });
  const stored = type === "domain-name" || type === "email-addr" ? checked.toLowerCase() : checked;
  return observable(type, { value: stored }, options);
}

/** A builder of one observable type identified by a value. */
export type ValueBuilder = (value: string, options?: ObservableOptions) => StixObject;

function valueBuilder(type: ValueScoType): ValueBuilder {
  return (value, options) => valueObservable(type, value, options);
}

/** Builds an `ipv4-addr` (an address or a CIDR range). */
export const ipv4Addr: ValueBuilder = valueBuilder("ipv4-addr");

/** Builds an `ipv6-addr` (an address or a CIDR range), value kept as given. */
export const ipv6Addr: ValueBuilder = valueBuilder("ipv6-addr");

/** Builds a `domain-name`, lower-cased. */
export const domainName: ValueBuilder = valueBuilder("domain-name");

/** Builds an OpenCTI `hostname`. */
export const hostname: ValueBuilder = valueBuilder("hostname");

/** Builds a `url`. */
export const url: ValueBuilder = valueBuilder("url");

/** Builds an `email-addr`, lower-cased. */
export const emailAddr: ValueBuilder = valueBuilder("email-addr");

/** Builds a `mac-addr`. */
export const macAddr: ValueBuilder = valueBuilder("mac-addr");

/** Options of {@link autonomousSystem}. */
export interface AutonomousSystemOptions extends ObservableOptions {
  /** The AS name, e.g. `GOOGLE`. */
  name?: string | undefined;
  /** The regional Internet registry. */
  rir?: string | undefined;
}

/** Builds an `autonomous-system` identified by its number (0–4294967295). */
export function autonomousSystem(
  number: number,
  options: AutonomousSystemOptions = {},
): StixObject {
  const stixType = "autonomous-system";
  const checked = optionalInteger(number, { stixType, property: "number" }, {
    min: 0,
    max: 4_294_967_295,
  });
  if (checked === undefined) fail({ stixType, property: "number" }, "it is required");
  return observable(stixType, {
    number: checked,
    name: optionalText(options.name, { stixType, property: "name" }),
    rir: optionalText(options.rir, { stixType, property: "rir" }),
  }, options);
}

/** Properties of {@link file}; at least `hashes` or `name`. */
export interface FileProperties {
  /** Algorithm → value; names are put in spec spelling (`sha256` → `SHA-256`) and values checked. */
  hashes?: Record<string, string> | undefined;
  /** The file name. */
  name?: string | undefined;
  /** Size in bytes. */
  size?: number | undefined;
  /** MIME type. */
  mimeType?: string | undefined;
}

/** Builds a `file` (OpenCTI StixFile); its id follows MD5 > SHA-1 > SHA-256 > SHA-512, then the name. */
export function file(properties: FileProperties, options: ObservableOptions = {}): StixObject {
  const stixType = "file";
  const hashes = optionalHashes(properties.hashes, stixType);
  const name = optionalText(properties.name, { stixType, property: "name" });
  if (hashes === undefined && name === undefined) {
    fail({ stixType, property: "hashes" }, "a file needs hashes or a name");
  }
  return observable(stixType, {
    hashes,
    size: optionalInteger(properties.size, { stixType, property: "size" }, {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    }),
    name,
    mime_type: optionalText(properties.mimeType, { stixType, property: "mime_type" }),
  }, options);
}

/** Properties of {@link x509Certificate}; at least `hashes` or `serialNumber` (they make the id). */
export interface X509CertificateProperties {
  /** Fingerprints, e.g. `{ "SHA-1": "…" }`. */
  hashes?: Record<string, string> | undefined;
  /** `serial_number`. */
  serialNumber?: string | undefined;
  /** `is_self_signed`. */
  isSelfSigned?: boolean | undefined;
  /** `version`. */
  version?: string | undefined;
  /** `signature_algorithm`. */
  signatureAlgorithm?: string | undefined;
  /** `issuer`. */
  issuer?: string | undefined;
  /** `subject`. */
  subject?: string | undefined;
  /** `validity_not_before`. */
  validityNotBefore?: Timestamp | undefined;
  /** `validity_not_after`. */
  validityNotAfter?: Timestamp | undefined;
  /** `subject_public_key_algorithm`. */
  subjectPublicKeyAlgorithm?: string | undefined;
}

/** Builds an `x509-certificate`. */
export function x509Certificate(
  properties: X509CertificateProperties,
  options: ObservableOptions = {},
): StixObject {
  const stixType = "x509-certificate";
  const hashes = optionalHashes(properties.hashes, stixType);
  const serialNumber = optionalText(properties.serialNumber, {
    stixType,
    property: "serial_number",
  });
  if (hashes === undefined && serialNumber === undefined) {
    fail({ stixType, property: "hashes" }, "a certificate needs hashes or a serial_number");
  }
  if (properties.isSelfSigned !== undefined && typeof properties.isSelfSigned !== "boolean") {
    fail({ stixType, property: "is_self_signed" }, "expected true or false");
  }
  const notBefore = optionalTimestamp(properties.validityNotBefore, {
    stixType,
    property: "validity_not_before",
  });
  const notAfter = optionalTimestamp(properties.validityNotAfter, {
    stixType,
    property: "validity_not_after",
  });
  if (notBefore !== undefined && notAfter !== undefined && notAfter < notBefore) {
    fail(
      { stixType, property: "validity_not_after" },
      `"${notAfter}" is before validity_not_before "${notBefore}"`,
    );
  }
  const text = (value: string | undefined, property: string) =>
    optionalText(value, { stixType, property });
  return observable(stixType, {
    is_self_signed: properties.isSelfSigned,
    hashes,
    version: text(properties.version, "version"),
    serial_number: serialNumber,
    signature_algorithm: text(properties.signatureAlgorithm, "signature_algorithm"),
    issuer: text(properties.issuer, "issuer"),
    validity_not_before: notBefore,
    validity_not_after: notAfter,
    subject: text(properties.subject, "subject"),
    subject_public_key_algorithm: text(
      properties.subjectPublicKeyAlgorithm,
      "subject_public_key_algorithm",
    ),
  }, options);
}

/** The hashes in spec spelling, checked; `undefined` when none are given. */
function optionalHashes(
  hashes: Record<string, string> | undefined,
  stixType: string,
): Record<string, string> | undefined {
  if (hashes === undefined) return undefined;
  const normalised = normaliseHashes(hashes, stixType);
  return Object.keys(normalised).length === 0 ? undefined : normalised;
}

/** Assembles an SCO: type, spec_version, id, the specific properties, then OpenCTI's. */
function observable(
  type: string,
  specific: Record<string, unknown>,
  options: ObservableOptions,
): StixObject {
  const stixType = type;
  const properties = compact(specific);
  return compact({
    type,
    spec_version: "2.1",
    id: scoId(type, properties),
    ...properties,
    x_opencti_score: optionalInteger(options.score, { stixType, property: "x_opencti_score" }, {
      min: 0,
      max: 100,
    }),
    x_opencti_description: optionalText(options.description, {
      stixType,
      property: "x_opencti_description",
    }),
    x_opencti_labels: checkLabels(options.labels, { stixType, property: "x_opencti_labels" }),
    object_marking_refs: checkRefs(
      options.markingRefs,
      { stixType, property: "object_marking_refs" },
      ["marking-definition"],
    ),
    x_opencti_created_by_ref: options.createdByRef === undefined
      ? undefined
      : checkRef(options.createdByRef, { stixType, property: "x_opencti_created_by_ref" }, [
        "identity",
      ]),
    x_opencti_external_references: checkExternalReferences(
      options.externalReferences,
      stixType,
      "x_opencti_external_references",
    ),
  }) as StixObject;
}
