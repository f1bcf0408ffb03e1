/**
 * The entity `enrich` asks about, built from a type name and a value as a
 * platform export would hold it. The value is checked for its type first
 * (lib/vendors `checkValue`), so a typo is a usage error (exit code 2) and
 * never reaches the vendor.
 *
 * @module
 */

import { MessageError, UsageError } from "../errors/mod.ts";
import { indicatorId, openCtiEntityType, scoId, type StixObject, stixTypeOf } from "../stix/mod.ts";
import { CHECKED_TYPES, checkValue, type EnrichmentEntity } from "../vendors/mod.ts";

const HASH_BY_LENGTH: Record<number, string> = {
  32: "MD5",
  40: "SHA-1",
  64: "SHA-256",
  128: "SHA-512",
};

/** Short spellings the command line accepts besides the STIX and OpenCTI type names. */
const ALIASES: Record<string, string> = { ipv4: "ipv4-addr", ipv6: "ipv6-addr" };

/** Builds the STIX entity for `type` and `value`; a value that is not of that type is a {@link UsageError}. */
export function entityFrom(type: string, value: string): EnrichmentEntity {
  const wanted = type.trim().toLowerCase();
  const entityType = openCtiEntityType(stixTypeOf(ALIASES[wanted] ?? wanted));
  if (!CHECKED_TYPES.includes(entityType)) {
    const known = CHECKED_TYPES.map(stixTypeOf).join(", ");
    throw new UsageError(`Unknown entity type "${type}"; use one of ${known}`);
  }
  let checked: string;
  try {
    checked = checkValue(entityType, value);
  } catch (error) {
    if (error instanceof MessageError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const stixType = stixTypeOf(entityType);
  if (stixType === "file") {
    const hashes = { [HASH_BY_LENGTH[checked.length]!]: checked };
    return entity(entityType, { type: stixType, id: scoId(stixType, { hashes }), hashes });
  }
  if (stixType === "indicator") {
    return entity(entityType, {
      type: stixType,
      id: indicatorId(checked),
      name: checked,
      pattern: checked,
      pattern_type: "stix",
    });
  }
  return entity(entityType, {
    type: stixType,
    id: scoId(stixType, { value: checked }),
    value: checked,
  });
}

function entity(entityType: string, stix: StixObject): EnrichmentEntity {
  return { entityType, standardId: stix.id, stix: { spec_version: "2.1", ...stix } as StixObject };
}
