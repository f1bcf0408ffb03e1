/**
 * IPv4-Addr / IPv6-Addr enrichment: score, flag labels, country, ASN,
 * subnet, PTR host, certificates and favicon. A CIDR is queried by its
 * address part and re-emitted unchanged, so it merges with the original
 * entity. The value is checked before the request; every value taken from
 * the answer is checked before it becomes an object.
 *
 * @module
 */

import type { EnrichmentLimits } from "../../config/mod.ts";
import type { Logger } from "../../log/mod.ts";
import {
  autonomousSystem,
  countryLocation,
  hostname,
  type StixObject,
  valueObservable,
} from "../../stix/mod.ts";
import { checkWith, Intake, type IntakeContext } from "../intake.ts";
import { checkAnswer, checkHostname, checkIpOrCidr, requireValue } from "../values.ts";
import type { EnrichmentNotice, LabelService } from "../vendor_module.ts";
import { checkAsn, flagLabels, present, textField } from "./_fields.ts";
import type { CallOptions, SilentPushApi } from "./api.ts";
import { type Collector, scoreOf } from "./collector.ts";
import { IP_FLAGS, raisedFlags } from "./flags.ts";
import { addScanData } from "./scan_data.ts";
import { ipInfoSchema } from "./schemas.ts";

/** What every mapping step needs. */
export interface MappingContext extends IntakeContext {
  api: SilentPushApi;
  labels: LabelService;
  logger: Logger;
  limits: EnrichmentLimits;
  report(notice: EnrichmentNotice): void;
  /** Signal and cache hook of every vendor call. */
  call: CallOptions;
}

/** The result of enriching one value: its re-emitted object, and whether Silent Push knew it. */
export interface SubjectResult {
  subject: StixObject | undefined;
  found: boolean;
}

/** Enriches an IP address (or CIDR) into `collector`. */
export async function enrichIp(
  type: "ipv4-addr" | "ipv6-addr",
  value: string,
  context: MappingContext,
  collector: Collector,
): Promise<SubjectResult> {
  const family = type === "ipv4-addr" ? "ipv4" : "ipv6";
  const { address } = requireValue(type === "ipv4-addr" ? "IPv4-Addr" : "IPv6-Addr", value, {
    maxLength: context.limits.maxValueLength,
    check: (text) => checkIpOrCidr(family, text),
  });
  const item = await context.api.enrichIp(family, address, context.call);
  if (item === undefined) return { subject: undefined, found: false };
  const answer = new Intake(`Silent Push answer about ${address}`, context);
  const info = answer.one(item, (raw) => checkWith(ipInfoSchema, raw));
  if (!info) {
    answer.close();
    return { subject: undefined, found: false };
  }
  const labels = await flagLabels(context.labels, raisedFlags(item, IP_FLAGS));
  const subject = collector.add(
    "IP address",
    () => valueObservable(type, value, { score: scoreOf(info.sp_risk_score), labels }),
  );
  const max = context.limits.maxValueLength;
  const country = textField(answer, info.ip_location?.country_name, max);
  if (country) {
    collector.relate(
      "related-to",
      subject,
      collector.add("country", () => countryLocation({ name: country }), { intake: answer }),
      { description: country },
    );
  }
  const asn = present(info.asn) && info.asn !== 0 ? answer.one(info.asn, checkAsn) : undefined;
  if (asn) {
    const name = textField(answer, info.asname, max);
    const system = collector.add(
      "autonomous system",
      () => autonomousSystem(asn, { name, score: scoreOf(info.asn_reputation_score) }),
      { intake: answer },
    );
    collector.relate("belongs-to", subject, system, { description: "ASN" });
  }
  const subnet = present(info.subnet)
    ? answer.one(info.subnet, (raw) =>
      checkAnswer(raw, max, (text) => {
        const checked = checkIpOrCidr(family, text);
        return checked.ok ? { ok: true, value: text } : checked;
      }))
    : undefined;
  if (subnet && subnet !== address && subnet !== value) {
    const network = collector.add(
      "subnet",
      () => valueObservable(type, subnet, { score: scoreOf(info.subnet_reputation_score) }),
      { intake: answer },
    );
    collector.relate("related-to", subject, network, { description: "Subnet" });
  }
  const ptr = present(info.ip_ptr)
    ? answer.one(info.ip_ptr, (raw) => checkAnswer(raw, max, checkHostname))
    : undefined;
  if (ptr) {
    collector.relate(
      "related-to",
      subject,
      collector.add("PTR host", () => hostname(ptr), { intake: answer }),
      { description: "PTR" },
    );
  }
  answer.close();
  addScanData(collector, subject, info.scan_data, { ...context, about: address });
  return { subject, found: true };
}
