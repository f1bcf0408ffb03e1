/**
 * Checks of the values a vendor module sends or takes: IPv4 and IPv6
 * addresses, CIDR ranges, domain and host names (RFC 1035 / RFC 1123 label
 * rules, internationalised names as their `xn--` form), http(s) URLs, MD5 /
 * SHA-1 / SHA-256 / SHA-512 hashes, vendor text, and the value length limit. A value
 * that fails a check is never sent: the caller gets the reason, or an
 * {@link InvalidValueError} that quotes the value safely.
 *
 * @module
 */

import { MessageError } from "../errors/mod.ts";
import { encodePathSegment } from "../http/mod.ts";

/** The outcome of a check: the normalised value, or why it was refused. */
export type Checked<T = string> = { ok: true; value: T } | { ok: false; reason: string };

/** The env var of the value length limit. */
export const MAX_VALUE_LENGTH_SETTING = "CONNECTOR_MAX_VALUE_LENGTH";

/** The most characters of a value quoted in a message. */
const QUOTED_CHARACTERS = 64;

const CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const CONTROLS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const HASH_LENGTHS = { md5: 32, sha1: 40, sha256: 64, sha512: 128 } as const;

/** The hash algorithms {@link checkHash} knows. */
export type HashAlgorithm = keyof typeof HASH_LENGTHS;

/** A value refused before any request: what kind of value was expected and why it is not one. */
export class InvalidValueError extends MessageError {
  /** What was checked, e.g. `IPv4-Addr`. */
  readonly what: string;
  /** Why the value was refused, in plain words. */
  readonly reason: string;

  /** Builds the error; the message quotes at most the first 64 characters, controls escaped. */
  constructor(what: string, value: string, reason: string, options?: { cause?: unknown }) {
    super(`Cannot enrich ${what} ${quoteValue(value)}: ${reason}`, options);
    this.what = what;
    this.reason = reason;
  }
}

function ok<T>(value: T): Checked<T> {
  return { ok: true, value };
}

function refused<T = string>(reason: string): Checked<T> {
  return { ok: false, reason };
}

/**
 * The value as a message may show it: at most its first 64 characters in
 * double quotes, control and format characters escaped as `\uXXXX`, and its
 * length when it was cut.
 */
export function quoteValue(value: string): string {
  const head = value.slice(0, QUOTED_CHARACTERS);
  const quoted = JSON.stringify(head).replace(CONTROLS, (char) => {
    const code = char.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
  if (value.length <= QUOTED_CHARACTERS) return quoted;
  return `${quoted.slice(0, -1)}…" (${value.length} characters)`;
}

/** A dotted-quad IPv4 address: four decimal numbers 0-255, no leading zeros. */
export function checkIpv4(text: string): Checked {
  const match = IPV4.exec(text);
  if (!match || match.slice(1).some((part) => Number(part) > 255)) {
    return refused("not an IPv4 address (four numbers 0-255 separated by dots)");
  }
  return ok(text);
}

/** An IPv6 address in RFC 4291 text form (hex groups, one `::`, an optional IPv4 tail); no zone id. */
export function checkIpv6(text: string): Checked {
  const reason = "not an IPv6 address";
  if (text.length > 45 || !/^[0-9a-f:.]+$/i.test(text)) return refused(reason);
  const halves = text.split("::");
  if (halves.length > 2) return refused(reason);
  const groups = halves.flatMap((half) => half === "" ? [] : half.split(":"));
  let count = groups.length;
  const last = groups.at(-1);
  if (last?.includes(".")) {
    if (!checkIpv4(last).ok) return refused(reason);
    groups.pop();
    count += 1;
  }
  if (!groups.every((group) => HEX_GROUP.test(group))) return refused(reason);
  const complete = halves.length === 2 ? count <= 7 : count === 8;
  return complete ? ok(text) : refused(reason);
}

/** An address of `family`, or a CIDR range `address/prefix` of it; the value is the address part. */
export function checkIpOrCidr(
  family: "ipv4" | "ipv6",
  text: string,
): Checked<{ address: string; prefix?: number }> {
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  const checked = family === "ipv4" ? checkIpv4(address) : checkIpv6(address);
  if (!checked.ok) return refused(checked.reason);
  if (slash < 0) return ok({ address });
  const prefix = text.slice(slash + 1);
  const max = family === "ipv4" ? 32 : 128;
  if (!/^(0|[1-9]\d{0,2})$/.test(prefix) || Number(prefix) > max) {
    return refused(`not a CIDR range (the prefix after "/" must be 0-${max})`);
  }
  return ok({ address, prefix: Number(prefix) });
}

/**
 * A domain or host name by RFC 1035 / RFC 1123 rules, lower-cased: labels
 * of 1-63 letters, digits or hyphens, neither starting nor ending with a
 * hyphen, at least two labels, a top-level label that is not all digits, at
 * most 253 characters. A Unicode name is checked in its punycode (`xn--`)
 * form, which is the value returned.
 */
export function checkDomain(text: string): Checked {
  let name = text.toLowerCase();
  if (/[^ -~]/.test(name)) {
    if (/[\s/\\?#@:%[\]]/.test(name) || CONTROL.test(name)) {
      return refused("not a domain name (it holds characters no host name has)");
    }
    try {
      name = new URL(`http://${name}`).hostname;
    } catch {
      return refused("not a valid internationalised domain name");
    }
  }
  if (name.length > 253) return refused("not a domain name (longer than 253 characters)");
  const labels = name.split(".");
  if (labels.length < 2) return refused("not a domain name (it needs at least two labels)");
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) {
    return refused(
      bad === ""
        ? "not a domain name (empty label)"
        : `not a domain name (label ${
          quoteValue(bad)
        }: 1-63 letters, digits or hyphens, not starting or ending with a hyphen)`,
    );
  }
  if (/^\d+$/.test(labels.at(-1)!)) {
    return refused("not a domain name (its last label is all digits)");
  }
  return ok(name);
}

/** A host name as vendors write it: one trailing dot is dropped, then {@link checkDomain}. */
export function checkHostname(text: string): Checked {
  return checkDomain(text.endsWith(".") ? text.slice(0, -1) : text);
}

/** What {@link checkUrl} finds in a URL. */
export interface UrlHost {
  /** The host: an IPv4 or IPv6 address (no brackets) or a lower-cased ASCII domain. */
  host: string;
  /** What the host is. */
  kind: "ipv4" | "ipv6" | "domain";
}

/** An http(s) URL (without a scheme it is read as http) whose host is an IP address or a domain. */
export function checkUrl(text: string): Checked<UrlHost> {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    return refused("not a URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return refused(`not an http or https URL (scheme "${parsed.protocol.slice(0, -1)}")`);
  }
  const host = parsed.hostname;
  if (host.startsWith("[")) {
    const address = host.slice(1, -1);
    return checkIpv6(address).ok ? ok({ host: address, kind: "ipv6" }) : refused("bad IPv6 host");
  }
  if (checkIpv4(host).ok) return ok({ host, kind: "ipv4" });
  const domain = checkDomain(host);
  if (domain.ok) return ok({ host: domain.value, kind: "domain" });
  return refused(`its host ${quoteValue(host)} is neither an IP address nor a domain`);
}

/** A hash of `algorithm` as hexadecimal of the right length, lower-cased. */
export function checkHash(algorithm: HashAlgorithm, text: string): Checked {
  const length = HASH_LENGTHS[algorithm];
  if (text.length !== length || !/^[0-9a-f]+$/i.test(text)) {
    return refused(`not an ${algorithm.toUpperCase()} (${length} hexadecimal characters)`);
  }
  return ok(text.toLowerCase());
}

/**
 * A value taken from a vendor answer: a string, trimmed, at most `maxLength`
 * characters, without control characters, then `check` (e.g.
 * {@link checkDomain}).
 */
export function checkAnswer<T>(
  value: unknown,
  maxLength: number,
  check: (text: string) => Checked<T>,
): Checked<T> {
  if (typeof value !== "string") return refused("not a string");
  const text = value.trim();
  if (text.length > maxLength) return refused(tooLong(text.length, maxLength));
  if (CONTROL.test(text)) return refused(`${quoteValue(text)} holds control characters`);
  return check(text);
}

/** Text taken from a vendor answer: {@link checkAnswer} that also refuses empty text. */
export function checkText(value: unknown, maxLength: number): Checked {
  return checkAnswer(value, maxLength, (text) => text === "" ? refused("empty") : ok(text));
}

/** The reason for a value over the length limit. */
export function tooLong(length: number, maxLength: number): string {
  return `${length} characters, more than the ${maxLength} allowed (${MAX_VALUE_LENGTH_SETTING})`;
}

/**
 * Checks an entity value before it is sent: the length limit first (so a
 * huge value costs nothing more), then control characters, then `check`.
 * Throws {@link InvalidValueError} naming `what` (e.g. `IPv4-Addr`).
 */
export function requireValue<T>(
  what: string,
  value: unknown,
  options: { maxLength: number; check: (text: string) => Checked<T> },
): T {
  if (typeof value !== "string" || value.trim() === "") {
    throw new MessageError(`The ${what} to enrich has no value`);
  }
  if (value.length > options.maxLength) {
    throw new InvalidValueError(what, value, `it is ${tooLong(value.length, options.maxLength)}`);
  }
  const text = value.trim();
  if (CONTROL.test(text)) {
    throw new InvalidValueError(what, value, "it holds control characters");
  }
  const checked = options.check(text);
  if (!checked.ok) throw new InvalidValueError(what, value, checked.reason);
  return checked.value;
}

/**
 * One URL path segment holding `value`, percent-encoded (`/` included).
 * `.` and `..` are refused: the WHATWG URL parser treats them, and their
 * `%2E` forms, as dot segments and would move the request to another path.
 */
export function pathSegment(value: string): string {
  if (value === "" || /^(\.|%2e){1,2}$/i.test(value)) {
    throw new InvalidValueError("path segment", value, "it is empty or a dot segment");
  }
  return encodePathSegment(value);
}
