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
  addSeen(mapping, `domains of ${value}`, found(results.domains), main, DOMAINS_OF_IP);
  addSeen(mapping, `samples of ${value}`, found(results.samples), main, SAMPLES);
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
  addSeen(mapping, `IPs of ${value}`, found(results.ips), main, IPS_OF_DOMAIN);
  addSeen(mapping, `samples of ${value}`, found(results.samples), main, SAMPLES);
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

/** The object a seen list's field names: what it is, for messages, and how it is built. */
const SEEN_OBJECTS = {
  domain: { what: "domain", build: (value: string) => domainName(value) },
  ip: { what: "IP address", build: (value: string) => ipv4Addr(value) },
  source: { what: "sample", build: (md5: string) => file({ hashes: { MD5: md5 } }) },
};

/** How the items of a `{<key>, first_seen, last_seen}` list relate to the looked-up entity. */
interface SeenRelation {
  /** The answer's field holding the related value. */
  key: keyof typeof SEEN_OBJECTS;
  /** The relationship's type. */
  type: string;
  /** Whether the related object is the relationship's source (else its target). */
  relatedIsSource: boolean;
}

/** `domain resolves-to ip`, from an IP's domains. */
const DOMAINS_OF_IP: SeenRelation = { key: "domain", type: "resolves-to", relatedIsSource: true };
/** `domain resolves-to ip`, from a domain's IPs. */
const IPS_OF_DOMAIN: SeenRelation = { key: "ip", type: "resolves-to", relatedIsSource: false };
/** `file communicates-with` the entity, from its samples. */
const SAMPLES: SeenRelation = { key: "source", type: "communicates-with", relatedIsSource: true };

/**
 * Adds each item of a seen list last seen within the import window, and its
 * relationship to `main` starting on the item's `first_seen`.
 */
function addSeen(
  mapping: Mapping,
  subject: string,
  items: readonly unknown[] | undefined,
  main: StixObject | undefined,
  relation: SeenRelation,
): void {
  const taken = mapping.list(
    subject,
    items,
    (raw) => seenItem(raw, relation.key, mapping.maxLength),
  );
  for (const item of taken.items) {
    if (!mapping.recent(item.last_seen)) continue;
    const { what, build } = SEEN_OBJECTS[relation.key];
    const related = mapping.add(what, () => build(item.value), taken.intake);
    const [source, target] = relation.relatedIsSource ? [related, main] : [main, related];
    mapping.relate(relation.type, source, target, item.first_seen, taken.intake);
  }
  taken.intake.close();
}
