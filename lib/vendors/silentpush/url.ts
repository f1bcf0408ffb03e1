/**
 * Url enrichment: the host of the URL is enriched as an IPv4, IPv6 or
 * domain, and linked to the URL (`host related-to url`, described
 * `URL ipv4`, `URL ipv6` or `URL domain`).
 *
 * @module
 */

import { url as urlObservable } from "../../stix/mod.ts";
import { checkUrl, requireValue, type UrlHost } from "../values.ts";
import type { Collector } from "./collector.ts";
import { enrichDomain } from "./domain.ts";
import { enrichIp, type MappingContext, type SubjectResult } from "./ip.ts";

/** The kind of a URL's host. */
export type HostKind = UrlHost["kind"];

/**
 * The host of a URL and its kind; a URL without scheme is read as http.
 * Throws `InvalidValueError` (a `MessageError`) for anything else.
 */
export function urlHost(value: string, maxLength = Number.MAX_SAFE_INTEGER): UrlHost {
  return requireValue("Url", value, { maxLength, check: checkUrl });
}

/** Enriches the URL's host and links it to the re-emitted URL. */
export async function enrichUrl(
  value: string,
  context: MappingContext,
  collector: Collector,
): Promise<SubjectResult> {
  const { host, kind } = urlHost(value, context.limits.maxValueLength);
  const child = kind === "domain"
    ? await enrichDomain("domain-name", host, context, collector)
    : await enrichIp(kind === "ipv4" ? "ipv4-addr" : "ipv6-addr", host, context, collector);
  const subject = collector.add("URL", () => urlObservable(value.trim()));
  collector.relate("related-to", child.subject, subject, { description: `URL ${kind}` });
  return { subject, found: child.found };
}
