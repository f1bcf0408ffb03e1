/**
 * The entity `enrich` asks about, built from a type name and a value as a
 * platform export would hold it. The value is checked for its type first, so
 * a typo is a usage error (exit code 2) and never reaches the vendor.
 *
 * @module
 */

import { UsageError } from "../errors/mod.ts";
import { indicatorId, scoId, type StixObject } from "../stix/mod.ts";
import type { EnrichmentEntity } from "../vendors/mod.ts";

const HASH_BY_LENGTH: Record<number, string> = {
  32: "MD5",
  40: "SHA-1",
  64: "SHA-256",
  128: "SHA-512",
};

const OBSERVABLES: Record<string, { stix: string; opencti: string; check: (v: string) => string }> =
  {
    "ipv4-addr": { stix: "ipv4-addr", opencti: "IPv4-Addr", check: checkIpv4 },
    "ipv6-addr": { stix: "ipv6-addr", opencti: "IPv6-Addr", check: checkIpv6 },
    "domain-name": { stix: "domain-name", opencti: "Domain-Name", check: checkDomain },
    "hostname": { stix: "hostname", opencti: "Hostname", check: checkDomain },
    "url": { stix: "url", opencti: "Url", check: checkUrl },
  };

/** Builds the STIX entity for `type` and `value`; a value that is not of that type is a {@link UsageError}. */
export function entityFrom(type: string, value: string): EnrichmentEntity {
  const wanted = type.trim().toLowerCase();
  const trimmed = value.trim();
  if (trimmed === "") throw new UsageError("The value to enrich is empty");
  if (wanted === "file" || wanted === "stixfile") {
    const algorithm = HASH_BY_LENGTH[trimmed.length];
    if (!algorithm || !/^[0-9a-f]+$/i.test(trimmed)) {
      throw new UsageError(
        `A file is given by its MD5, SHA-1, SHA-256 or SHA-512 hash (hex), got ${quote(trimmed)}`,
      );
    }
    const hashes = { [algorithm]: trimmed.toLowerCase() };
    return entity("StixFile", { type: "file", id: scoId("file", { hashes }), hashes });
  }
  if (wanted === "indicator") {
    if (!/^\[.+\]$/s.test(trimmed)) {
      throw new UsageError(
        `An indicator is given by its STIX pattern, e.g. "[ipv4-addr:value = '1.1.1.1']", got ${
          quote(trimmed)
        }`,
      );
    }
    const stix: StixObject = {
      type: "indicator",
      id: indicatorId(trimmed),
      spec_version: "2.1",
      name: trimmed,
      pattern: trimmed,
      pattern_type: "stix",
    };
    return entity("Indicator", stix);
  }
  const observable = OBSERVABLES[wanted] ?? OBSERVABLES[openCtiAlias(wanted)];
  if (!observable) {
    const known = [...Object.keys(OBSERVABLES), "file", "indicator"].join(", ");
    throw new UsageError(`Unknown entity type "${type}"; use one of ${known}`);
  }
  const normalised = observable.check(trimmed);
  return entity(observable.opencti, {
    type: observable.stix,
    id: scoId(observable.stix, { value: normalised }),
    spec_version: "2.1",
    value: normalised,
  });
}

function openCtiAlias(type: string): string {
  return type === "ipv4" ? "ipv4-addr" : type === "ipv6" ? "ipv6-addr" : type;
}

function checkIpv4(value: string): string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d{1,2}))?$/.exec(value);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefix = match?.[6] === undefined ? 0 : Number(match[6]);
  if (!match || octets.some((octet) => octet > 255) || prefix > 32 || /(^|\.)0\d/.test(value)) {
    throw new UsageError(`Not an IPv4 address (or CIDR): ${quote(value)}`);
  }
  return value;
}

function checkIpv6(value: string): string {
  const [address = "", prefix, extra] = value.split("/");
  const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128);
  if (extra !== undefined || !address.includes(":") || !validPrefix || !parsesAsIpv6(address)) {
    throw new UsageError(`Not an IPv6 address (or CIDR): ${quote(value)}`);
  }
  return value;
}

function parsesAsIpv6(address: string): boolean {
  try {
    return new URL(`http://[${address}]/`).hostname !== "";
  } catch {
    return false;
  }
}

function checkDomain(value: string): string {
  const name = toAscii(value).toLowerCase().replace(/\.$/, "");
  const labels = name.split(".");
  const valid = name.length <= 253 && labels.length >= 2 &&
    labels.every((label) => /^[a-z0-9_]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
  if (!valid) throw new UsageError(`Not a domain or host name: ${quote(value)}`);
  return name;
}

/** An internationalised name in its `xn--` form, as DNS and the vendors know it. */
function toAscii(name: string): string {
  // Plain ASCII needs nothing; with control characters the check below refuses it as it is
  // (the URL parser would silently drop tabs and line breaks).
  if (/^[\x20-\x7e]*$/.test(name) || /\p{Cc}/u.test(name)) return name;
  try {
    return new URL(`http://${name}/`).hostname;
  } catch {
    return name;
  }
}

function checkUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`Not a URL: ${quote(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`Not an http(s) URL: ${quote(value)}`);
  }
  return value;
}

/** The value in quotes, at most 64 characters, control characters escaped. */
function quote(value: string): string {
  const head = JSON.stringify(value.slice(0, 64));
  return value.length > 64 ? `${head}… (${value.length} characters)` : head;
}

function entity(entityType: string, stix: StixObject): EnrichmentEntity {
  return { entityType, standardId: stix.id, stix: { spec_version: "2.1", ...stix } as StixObject };
}
