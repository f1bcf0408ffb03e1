/**
 * IPv4-Addr / IPv6-Addr enrichment (silentpush.md §3.4, decision 7): score,
 * flag labels, country, ASN, subnet, PTR host, certificates and favicon.
 * A CIDR is queried by its network address and re-emitted unchanged so it
 * merges with the original entity.
 *
 * @module
 */

import {
  autonomousSystem,
  countryLocation,
  hostname,
  type StixObject,
  valueObservable,
} from "../../stix/mod.ts";
import type { LabelService } from "../vendor_module.ts";
import type { Logger } from "../../log/mod.ts";
import type { SilentPushApi } from "./api.ts";
import { Collector, scoreOf } from "./collector.ts";
import { IP_FLAGS, raisedFlags } from "./flags.ts";
import { addScanData } from "./scan_data.ts";
import { ipInfoSchema } from "./schemas.ts";

/** What every mapping step needs. */
export interface MappingContext {
  api: SilentPushApi;
  labels: LabelService;
  logger: Logger;
  signal: AbortSignal;
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
  const ip = value.split("/")[0]!.trim();
  const items = await context.api.enrichIp(
    type === "ipv4-addr" ? "ipv4" : "ipv6",
    ip,
    context.signal,
  );
  const parsed = items && items.length > 0 ? ipInfoSchema.safeParse(items[0]) : undefined;
  if (!parsed?.success) {
    if (parsed && !parsed.success) {
      context.logger.warning("Silent Push answered an IP record in an unexpected shape", {
        value,
        reason: parsed.error.issues[0]?.message,
      });
    }
    return { subject: undefined, found: false };
  }
  const info = parsed.data;
  const labels = (await Promise.all(
    raisedFlags(info, IP_FLAGS).map((flag) => context.labels.ensure(flag.name, flag.color)),
  )).filter((label) => label !== undefined);
  const subject = collector.add(
    "IP address",
    () => valueObservable(type, value, { score: scoreOf(info.sp_risk_score), labels }),
  );
  const country = info.ip_location?.country_name?.trim();
  if (country) {
    collector.relate(
      "related-to",
      subject,
      collector.add("country", () => countryLocation({ name: country })),
      country,
    );
  }
  const asn = info.asn;
  if (asn) {
    const system = collector.add("autonomous system", () =>
      autonomousSystem(asn, {
        name: info.asname ?? undefined,
        score: scoreOf(info.asn_reputation_score),
      }));
    collector.relate("belongs-to", subject, system, "ASN");
  }
  const subnet = info.subnet?.trim();
  if (subnet && subnet !== ip && subnet !== value) {
    const network = collector.add(
      "subnet",
      () => valueObservable(type, subnet, { score: scoreOf(info.subnet_reputation_score) }),
    );
    collector.relate("related-to", subject, network, "Subnet");
  }
  const ptr = info.ip_ptr?.trim().replace(/\.$/, "");
  if (ptr) {
    collector.relate("related-to", subject, collector.add("PTR host", () => hostname(ptr)), "PTR");
  }
  addScanData(collector, subject, info.scan_data, context.logger);
  return { subject, found: true };
}
