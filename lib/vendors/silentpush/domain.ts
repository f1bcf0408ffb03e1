/**
 * Domain-Name / Hostname enrichment (silentpush.md §3.5, decisions 1, 3, 4
 * and 10): the enrichment call and the IP-diversity call, score, flag labels,
 * registrar, apex domains and name servers, certificates, favicon, hosts, A
 * records (`resolves-to`) and their autonomous systems.
 *
 * @module
 */

import {
  autonomousSystem,
  domainName,
  hostname,
  ipv4Addr,
  organizationIdentity,
  valueObservable,
} from "../../stix/mod.ts";
import type { Collector } from "./collector.ts";
import { scoreOf } from "./collector.ts";
import { DOMAIN_FLAGS, nschangesOf, raisedFlags } from "./flags.ts";
import type { MappingContext, SubjectResult } from "./ip.ts";
import { addScanData } from "./scan_data.ts";
import { diversityRecordSchema, nameServerSchema, timelineSchema } from "./schemas.ts";

/** Enriches a domain (re-emitted as `domain-name`) or a host name (re-emitted as `hostname`). */
export async function enrichDomain(
  type: "domain-name" | "hostname",
  value: string,
  context: MappingContext,
  collector: Collector,
): Promise<SubjectResult> {
  const name = value.trim().toLowerCase().replace(/\.$/, "");
  const [data, records] = await Promise.all([
    context.api.enrichDomain(name, context.signal),
    context.api.ipDiversity(name, context.signal),
  ]);
  const found = data !== undefined || (records !== undefined && records.length > 0);
  const flags = data
    ? raisedFlags({ ...data, nschanges: nschangesOf(data.nschanges) }, DOMAIN_FLAGS)
    : [];
  const labels = (await Promise.all(
    flags.map((flag) => context.labels.ensure(flag.name, flag.color)),
  )).filter((label) => label !== undefined);
  const subject = collector.add(
    type,
    () =>
      valueObservable(type, type === "domain-name" ? name : value.trim(), {
        score: scoreOf(data?.sp_risk_score),
        labels,
      }),
  );
  if (data) {
    const registrar = data.domaininfo?.registrar?.trim();
    if (registrar) {
      const organization = collector.add(
        "registrar",
        () => organizationIdentity({ name: registrar }),
      );
      collector.relate("related-to", subject, organization, "Registrar");
    }
    for (const raw of data.ns_reputation?.ns_srv_reputation ?? []) {
      const parsed = nameServerSchema.safeParse(raw);
      if (!parsed.success) continue;
      const apex = parsed.data.domain?.trim().toLowerCase();
      if (apex && apex !== name) {
        collector.relate(
          "related-to",
          subject,
          collector.add("apex domain", () => domainName(apex)),
          "Apex Domain",
        );
      }
      const server = parsed.data.ns_server?.trim().replace(/\.$/, "");
      if (server) {
        collector.relate(
          "related-to",
          subject,
          collector.add("name server", () => hostname(server)),
          "Nameserver",
        );
      }
    }
    addScanData(collector, subject, data.scan_data, context.logger);
  }
  for (const raw of records ?? []) {
    const record = diversityRecordSchema.safeParse(raw);
    if (!record.success) continue;
    const host = record.data.host?.trim().replace(/\.$/, "");
    if (host && host.toLowerCase() !== name) {
      collector.relate(
        "related-to",
        subject,
        collector.add("host", () => hostname(host)),
        "Hostname",
      );
    }
    for (const item of record.data.asn_timelines ?? []) {
      const timeline = timelineSchema.safeParse(item);
      if (!timeline.success || !timeline.data.ip) continue;
      const address = timeline.data.ip.trim();
      const ip = collector.add("A record", () => ipv4Addr(address));
      collector.relate("resolves-to", subject, ip, "A Record");
      const asn = timeline.data.asn;
      if (asn) {
        const system = collector.add(
          "autonomous system",
          () => autonomousSystem(asn, { name: timeline.data.asn_name ?? undefined }),
        );
        collector.relate("belongs-to", ip, system, "ASN");
      }
    }
  }
  return { subject, found };
}
