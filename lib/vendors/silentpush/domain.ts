/**
 * Domain-Name / Hostname enrichment: the enrichment call and the
 * IP-diversity call; score, flag labels, registrar, apex domains and name
 * servers, certificates, favicon, hosts, A records (`resolves-to`, the STIX
 * relationship for a DNS resolution) and their autonomous systems (related
 * to the IP only: OpenCTI has no domain `belongs-to` AS relationship). A
 * name server whose apex domain is the enriched domain still yields its
 * name server. Every list is capped and every value checked.
 *
 * @module
 */

import {
  autonomousSystem,
  domainName,
  hostname,
  ipv4Addr,
  organizationIdentity,
  type StixObject,
  valueObservable,
} from "../../stix/mod.ts";
import {
  checkAnswer,
  checkDomain,
  type Checked,
  checkHostname,
  checkIpv4,
  checkText,
  requireValue,
} from "../values.ts";
import { checkWith, Intake } from "../intake.ts";
import { checkAsn, flagLabels, present, textField } from "./_fields.ts";
import type { Collector } from "./collector.ts";
import { scoreOf } from "./collector.ts";
import { DOMAIN_FLAGS, raisedFlags } from "./flags.ts";
import type { MappingContext, SubjectResult } from "./ip.ts";
import { addScanData } from "./scan_data.ts";
import { diversityRecordSchema, nameServerSchema, timelineSchema } from "./schemas.ts";

interface NameServer {
  apex: string | undefined;
  server: string | undefined;
}

interface HostRecord {
  host: string | undefined;
  timelines: unknown;
}

interface ARecord {
  ip: string;
  asn: number | undefined;
  asnName: string | undefined;
}

/** Enriches a domain (re-emitted as `domain-name`) or a host name (re-emitted as `hostname`). */
export async function enrichDomain(
  type: "domain-name" | "hostname",
  value: string,
  context: MappingContext,
  collector: Collector,
): Promise<SubjectResult> {
  const name = requireValue(type === "domain-name" ? "Domain-Name" : "Hostname", value, {
    maxLength: context.limits.maxValueLength,
    check: checkHostname,
  });
  const [answer, records] = await Promise.all([
    context.api.enrichDomain(name, context.call),
    context.api.ipDiversity(name, context.call),
  ]);
  const found = answer !== undefined || (Array.isArray(records) && records.length > 0);
  const labels = answer
    ? await flagLabels(context.labels, raisedFlags(answer.raw, DOMAIN_FLAGS))
    : [];
  const emitted = type === "domain-name"
    ? value.trim().toLowerCase().replace(/\.$/, "")
    : value.trim();
  const subject = collector.add(
    type,
    () => valueObservable(type, emitted, { score: scoreOf(answer?.data.sp_risk_score), labels }),
  );
  /** Adds an object and a `related-to` from the subject to it, with this description. */
  const addRelated = (what: string, build: () => StixObject, intake: Intake, description: string) =>
    collector.relate("related-to", subject, collector.add(what, build, { intake }), {
      description,
    });
  const max = context.limits.maxValueLength;
  if (answer) {
    const fields = new Intake(`Silent Push answer about ${name}`, context);
    const registrar = textField(fields, answer.data.domaininfo?.registrar, max);
    if (registrar) {
      addRelated("registrar", () => organizationIdentity({ name: registrar }), fields, "Registrar");
    }
    fields.close();
    const servers = new Intake(`Silent Push name servers of ${name}`, context);
    for (
      const server of servers.take(
        answer.data.ns_reputation?.ns_srv_reputation,
        (raw) => nameServer(raw, max),
      )
    ) {
      if (server.apex && server.apex !== name) {
        addRelated("apex domain", () => domainName(server.apex!), servers, "Apex Domain");
      }
      if (server.server) {
        addRelated("name server", () => hostname(server.server!), servers, "Nameserver");
      }
    }
    servers.close();
    addScanData(collector, subject, answer.data.scan_data, { ...context, about: name });
  }
  const hosts = new Intake(`Silent Push host records of ${name}`, context);
  const aRecords = new Intake(`Silent Push A records of ${name}`, context);
  for (const record of hosts.take(records, (raw) => hostRecord(raw, max))) {
    if (record.host && record.host !== name) {
      addRelated("host", () => hostname(record.host!), hosts, "Hostname");
    }
    for (const item of aRecords.take(record.timelines, (raw) => aRecord(raw, max))) {
      const ip = collector.add("A record", () => ipv4Addr(item.ip), { intake: aRecords });
      collector.relate("resolves-to", subject, ip, { description: "A Record" });
      if (item.asn) {
        const system = collector.add(
          "autonomous system",
          () => autonomousSystem(item.asn!, { name: item.asnName }),
          { intake: aRecords },
        );
        collector.relate("belongs-to", ip, system, { description: "ASN" });
      }
    }
  }
  hosts.close();
  aRecords.close();
  return { subject, found };
}

function nameServer(raw: unknown, maxLength: number): Checked<NameServer> {
  const parsed = checkWith(nameServerSchema, raw);
  if (!parsed.ok) return parsed;
  const { domain, ns_server } = parsed.value;
  const apex = present(domain) ? checkAnswer(domain, maxLength, checkDomain) : undefined;
  const server = present(ns_server) ? checkAnswer(ns_server, maxLength, checkHostname) : undefined;
  if (apex && !apex.ok) return apex;
  if (server && !server.ok) return server;
  if (!apex && !server) return { ok: false, reason: "neither a domain nor an ns_server" };
  return { ok: true, value: { apex: apex?.value, server: server?.value } };
}

function hostRecord(raw: unknown, maxLength: number): Checked<HostRecord> {
  const parsed = checkWith(diversityRecordSchema, raw);
  if (!parsed.ok) return parsed;
  const host = present(parsed.value.host)
    ? checkAnswer(parsed.value.host, maxLength, checkHostname)
    : undefined;
  if (host && !host.ok) return host;
  return { ok: true, value: { host: host?.value, timelines: parsed.value.asn_timelines } };
}

function aRecord(raw: unknown, maxLength: number): Checked<ARecord> {
  const parsed = checkWith(timelineSchema, raw);
  if (!parsed.ok) return parsed;
  const { ip, asn, asn_name } = parsed.value;
  if (!present(ip)) return { ok: false, reason: "no ip" };
  const address = checkAnswer(ip, maxLength, checkIpv4);
  if (!address.ok) return address;
  const number = present(asn) ? checkAsn(asn) : undefined;
  if (number && !number.ok) return number;
  const named = present(asn_name) ? checkText(asn_name, maxLength) : undefined;
  const asnName = named?.ok ? named.value : undefined;
  return { ok: true, value: { ip: address.value, asn: number?.value, asnName } };
}
