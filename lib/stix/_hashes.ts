/**
 * Hash dictionaries: spec spelling of algorithm names, value checks, and the
 * single hash an SCO id keeps (cti-python-stix2 `_choose_one_hash`).
 *
 * @module
 */

import { StixError } from "./errors.ts";

/** Spec spelling by the algorithm name with case, `-` and `_` removed. */
const SPEC_NAMES: Record<string, string> = {
  MD5: "MD5",
  SHA1: "SHA-1",
  SHA256: "SHA-256",
  SHA512: "SHA-512",
  SHA3256: "SHA3-256",
  SHA3512: "SHA3-512",
  SSDEEP: "SSDEEP",
  TLSH: "TLSH",
};

/** Hex length of the fixed-size algorithms, as cti-python-stix2 checks them. */
const HEX_LENGTHS: Record<string, number> = {
  "MD5": 32,
  "SHA-1": 40,
  "SHA-256": 64,
  "SHA-512": 128,
  "SHA3-256": 64,
  "SHA3-512": 128,
};

const ID_PREFERENCE = ["MD5", "SHA-1", "SHA-256", "SHA-512"];

/** Returns the spec spelling of a hash algorithm name (`sha256` → `SHA-256`); unknown names unchanged. */
export function specHashName(name: string): string {
  return SPEC_NAMES[name.replace(/[-_]/g, "").toUpperCase()] ?? name;
}

/**
 * Returns the hashes with spec-spelled keys, in the given order, after
 * checking every value; throws a {@link StixError} naming the bad one.
 */
export function normaliseHashes(hashes: unknown, stixType: string): Record<string, string> {
  if (typeof hashes !== "object" || hashes === null || Array.isArray(hashes)) {
    throw new StixError(`Invalid ${stixType} hashes: expected an object of algorithm to value`, {
      stixType,
      property: "hashes",
    });
  }
  const result: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(hashes)) {
    const name = specHashName(rawName.trim());
    if (name === "") {
      throw new StixError(`Invalid ${stixType} hashes: an algorithm name is empty`, {
        stixType,
        property: "hashes",
      });
    }
    if (typeof value !== "string" || value.trim() === "") {
      throw new StixError(`Invalid ${stixType} ${name} hash: expected a non-empty string`, {
        stixType,
        property: "hashes",
      });
    }
    const length = HEX_LENGTHS[name];
    if (length !== undefined && !new RegExp(`^[0-9a-fA-F]{${length}}$`).test(value)) {
      throw new StixError(
        `Invalid ${stixType} ${name} hash "${value}": expected ${length} hexadecimal characters`,
        { stixType, property: "hashes" },
      );
    }
    if (name in result) {
      throw new StixError(`Invalid ${stixType} hashes: "${name}" is given twice`, {
        stixType,
        property: "hashes",
      });
    }
    result[name] = value;
  }
  return result;
}

/** Keeps the one hash an SCO id uses: MD5, else SHA-1, else SHA-256, else SHA-512, else the first. */
export function chooseOneHash(hashes: Record<string, string>): Record<string, string> {
  for (const name of [...ID_PREFERENCE, ...Object.keys(hashes)]) {
    const value = hashes[name];
    if (value !== undefined) return { [name]: value };
  }
  return {};
}
