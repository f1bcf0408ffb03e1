/**
 * Url enrichment (silentpush.md §3.6): the host of the URL is enriched as an
 * IPv4, IPv6 or domain, and linked to the URL.
 *
 * @module
 */

import { MessageError } from "../../errors/mod.ts";
import { url as urlObservable } from "../../stix/mod.ts";
import type { Collector } from "./collector.ts";
import { enrichDomain } from "./domain.ts";
import { enrichIp, type MappingContext, type SubjectResult } from "./ip.ts";

/** The kind of a URL's host. */
export type HostKind = "ipv4" | "ipv6" | "domain";

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const DOMAIN =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])$/i;

/** The host of a URL and its kind; a URL without scheme is read as http. */
export function urlHost(value: string): { host: string; kind: HostKind } {
  const trimmed = value.trim();
  let parsed: URL | undefined;
  for (const candidate of [trimmed, `http://${trimmed}`]) {
    try {
      parsed = new URL(candidate);
      if (parsed.hostname) break;
    } catch {
      parsed = undefined;
    }
  }
  const host = parsed?.hostname.replace(/^\[|\]$/g, "") ?? "";
  if (IPV4.test(host)) return { host, kind: "ipv4" };
  if (host.includes(":")) return { host, kind: "ipv6" };
  if (DOMAIN.test(host)) return { host: host.toLowerCase(), kind: "domain" };
  throw new MessageError(
    `Cannot enrich URL "${trimmed}": its host "${host}" is neither an IP address nor a domain`,
  );
}

/** Enriches the URL's host and links it to the re-emitted URL. */
export async function enrichUrl(
  value: string,
  context: MappingContext,
  collector: Collector,
): Promise<SubjectResult> {
  const { host, kind } = urlHost(value);
  const child = kind === "domain"
    ? await enrichDomain("domain-name", host, context, collector)
    : await enrichIp(kind === "ipv4" ? "ipv4-addr" : "ipv6-addr", host, context, collector);
  const subject = collector.add("URL", () => urlObservable(value.trim()));
  collector.relate("related-to", child.subject, subject, `URL ${kind}`);
  return { subject, found: child.found };
}
