/**
 * The lookups of each observable type and how their answers map:
 * an IP's related domains (`domain resolves-to ip`), samples
 * (`file communicates-with ip`), countries (`ip located-at location`) and AS
 * (`ip belongs-to as`); a domain's IPs (`domain resolves-to ip`) and samples;
 * a file's details. Only the lookups listed in the settings are made; the
 * calls of one observable run at once. Related items last seen before the
 * import window are left out.
 *
 * @module
 */

import {
  autonomousSystem,
  countryLocation,
  domainName,
  file,
  ipv4Addr,
  type StixObject,
} from "../../stix/mod.ts";
import type { EnrichmentResult } from "../vendor_module.ts";
import type { CallOptions, EtIntelligenceApi } from "./api.ts";
import type { Mapping } from "./mapping.ts";
import { asnAnswer, geolocItem, sampleDetailsAnswer, seenItem } from "./schemas.ts";
import { found, settleAll } from "./settle.ts";

/** The IP lookups (`ips/{ip}/{lookup}`). */
export const IP_LOOKUPS = ["reputation", "domains", "samples", "geoloc", "asn"] as const;
/** The domain lookups (`domains/{d}/{lookup}`). */
export const DOMAIN_LOOKUPS = ["reputation", "ips", "samples"] as const;

/** What the lookups share. */
export interface LookupContext {
  api: EtIntelligenceApi;
  mapping: Mapping;
  call: CallOptions;
}

/** Looks an IPv4 or IPv6 address up (IPv6: a 4xx answer is no data). */
export async function lookupIp(
  type: "ipv4-addr" | "ipv6-addr",
  value: string,
  lookups: readonly string[],
  { api, mapping, call }: LookupContext,
): Promise<EnrichmentResult> {
  const options = { ...call, lenient4xx: type === "ipv6-addr" };
  const wanted = (lookup: string) => lookups.includes(lookup);
  const listOf = (lookup: string) =>
    wanted(lookup) ? api.list(["ips", value, lookup], options) : undefined;
  const results = await settleAll({
    reputation: listOf("reputation"),
    domains: listOf("domains"),
    samples: listOf("samples"),
    geoloc: listOf("geoloc"),
    asn: wanted("asn")
      ? api.object(["ips", value, "asn"], (raw) => asnAnswer(raw, mapping.maxLength), options)
      : undefined,
  });
  const main = await mapping.main(type, value, found(results.reputation));
  const domains = mapping.list(
    `domains of ${value}`,
    found(results.domains),
    (raw) => seenItem(raw, "domain", mapping.maxLength),
  );
  for (const item of domains.items) {
    if (!mapping.recent(item.last_seen)) continue;
    const domain = mapping.add("domain", () => domainName(item.value), domains.intake);
    mapping.relate("resolves-to", domain, main, item.first_seen, domains.intake);
  }
  domains.intake.close();
  samples(mapping, `samples of ${value}`, found(results.samples), main);
  const geoloc = mapping.list(
    `countries of ${value}`,
    found(results.geoloc),
    (raw) => geolocItem(raw, mapping.maxLength),
  );
  for (const item of geoloc.items) {
    const location = mapping.add("location", () =>
      countryLocation({
        name: item.name,
        country: item.country_code,
        region: item.region,
        city: item.city,
        latitude: item.latitude,
        longitude: item.longitude,
      }), geoloc.intake);
    mapping.relate("located-at", main, location, undefined, geoloc.intake);
  }
  geoloc.intake.close();
  mapping.invalidAnswer(`ASN of ${value}`, results.asn);
  const asn = found(results.asn);
  if (asn) {
    const system = mapping.add(
      "autonomous system",
      () => autonomousSystem(asn.asn, { name: asn.owner }),
    );
    mapping.relate("belongs-to", main, system);
  }
  return mapping.result(results, "observable");
}

/** Looks a domain up. */
export async function lookupDomain(
  value: string,
  lookups: readonly string[],
  { api, mapping, call }: LookupContext,
): Promise<EnrichmentResult> {
  const listOf = (lookup: string) =>
    lookups.includes(lookup) ? api.list(["domains", value, lookup], call) : undefined;
  const results = await settleAll({
    reputation: listOf("reputation"),
    ips: listOf("ips"),
    samples: listOf("samples"),
  });
  const main = await mapping.main("domain-name", value, found(results.reputation));
  const ips = mapping.list(
    `IPs of ${value}`,
    found(results.ips),
    (raw) => seenItem(raw, "ip", mapping.maxLength),
  );
  for (const item of ips.items) {
    if (!mapping.recent(item.last_seen)) continue;
    const ip = mapping.add("IP address", () => ipv4Addr(item.value), ips.intake);
    mapping.relate("resolves-to", main, ip, item.first_seen, ips.intake);
  }
  ips.intake.close();
  samples(mapping, `samples of ${value}`, found(results.samples), main);
  return mapping.result(results, "observable");
}

/** Looks a file up by its MD5 and re-emits it with its SHA-256 and size. */
export async function lookupFile(
  md5: string,
  { api, mapping, call }: LookupContext,
): Promise<EnrichmentResult> {
  const results = await settleAll({
    details: api.object(["samples", md5], sampleDetailsAnswer, call),
  });
  mapping.invalidAnswer(`sample ${md5}`, results.details);
  const details = found(results.details);
  if (details) {
    mapping.entity("file", () =>
      file({
        hashes: { MD5: md5, ...(details.sha256 ? { "SHA-256": details.sha256 } : {}) },
        ...(details.file_size ? { size: details.file_size } : {}),
      }));
  }
  return mapping.result(results, "file");
}

function samples(
  mapping: Mapping,
  subject: string,
  items: readonly unknown[] | undefined,
  target: StixObject | undefined,
): void {
  const taken = mapping.list(subject, items, (raw) => seenItem(raw, "source", mapping.maxLength));
  for (const item of taken.items) {
    if (!mapping.recent(item.last_seen)) continue;
    const sample = mapping.add("sample", () => file({ hashes: { MD5: item.value } }), taken.intake);
    mapping.relate("communicates-with", sample, target, item.first_seen, taken.intake);
  }
  taken.intake.close();
}
