/**
 * The value check of an entity type, for a value typed by hand (the `enrich`
 * command) before any vendor module sees it. Each vendor module still checks
 * what it sends by its own API's rules (e.g. ET Intelligence takes no CIDR
 * range).
 *
 * @module
 */

import {
  type Checked,
  checkHash,
  checkHostname,
  checkIpOrCidr,
  checkUrl,
  type HashAlgorithm,
  requireValue,
} from "./values.ts";

const HASHES: readonly HashAlgorithm[] = ["md5", "sha1", "sha256", "sha512"];

const CHECKS: Readonly<Record<string, (text: string) => Checked>> = {
  "IPv4-Addr": (text) => asText(checkIpOrCidr("ipv4", text), text),
  "IPv6-Addr": (text) => asText(checkIpOrCidr("ipv6", text), text),
  "Domain-Name": checkHostname,
  "Hostname": checkHostname,
  "Url": (text) => asText(checkUrl(text), text),
  "StixFile": anyHash,
  "Indicator": (text) =>
    /^\[.+\]$/s.test(text)
      ? { ok: true, value: text }
      : { ok: false, reason: "not a STIX pattern, such as [ipv4-addr:value = '1.1.1.1']" },
};

/** The OpenCTI entity types {@link checkValue} checks. */
export const CHECKED_TYPES: readonly string[] = Object.keys(CHECKS);

/**
 * Checks `value` as a value of the OpenCTI `entityType` (one of
 * {@link CHECKED_TYPES}): an IPv4 or IPv6 address or CIDR range, a domain or
 * host name (lower-cased, `xn--` form, one trailing dot dropped), an http(s)
 * URL, a file's MD5, SHA-1, SHA-256 or SHA-512 (lower-cased), or an
 * indicator's STIX pattern. Returns the normalised value; throws
 * `InvalidValueError` (a `MessageError`) saying why it is not one, and a
 * `RangeError` for another type.
 */
export function checkValue(
  entityType: string,
  value: string,
  options: { maxLength?: number } = {},
): string {
  const check = CHECKS[entityType];
  if (!check) throw new RangeError(`No value check for entity type "${entityType}"`);
  return requireValue(entityType, value, {
    maxLength: options.maxLength ?? Number.POSITIVE_INFINITY,
    check,
  });
}

/** The text itself when `checked` accepted it. */
function asText<T>(checked: Checked<T>, text: string): Checked {
  return checked.ok ? { ok: true, value: text } : checked;
}

function anyHash(text: string): Checked {
  for (const algorithm of HASHES) {
    const checked = checkHash(algorithm, text);
    if (checked.ok) return checked;
  }
  return { ok: false, reason: "not an MD5, SHA-1, SHA-256 or SHA-512 hash (hexadecimal)" };
}
