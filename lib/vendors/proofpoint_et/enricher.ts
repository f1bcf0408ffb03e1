/**
 * The ET Intelligence enricher: checks the entity's value (an IPv4 or IPv6
 * address, a domain, a file's MD5) before any request, then runs the
 * configured lookups of its type (`ip_lookups`, `domain_lookups`).
 *
 * @module
 */

import { MessageError } from "../../errors/mod.ts";
import { createVendorHttpClient } from "../../http/mod.ts";
import { parseIsoDuration } from "../../config/mod.ts";
import { commonClientOptions } from "../_client.ts";
import { checkDomain, checkHash, checkIpv4, checkIpv6, requireValue } from "../values.ts";
import type { Enricher, VendorDeps } from "../vendor_module.ts";
import { EtIntelligenceApi } from "./api.ts";
import { etAuthor } from "./author.ts";
import type { ProofpointEtSettings } from "./config.ts";
import { PROOFPOINT_ET_DESCRIPTOR } from "./descriptor.ts";
import { type LookupContext, lookupDomain, lookupFile, lookupIp } from "./lookups.ts";
import { Mapping } from "./mapping.ts";
import { windowStart } from "./window.ts";

const { name: VENDOR, title: TITLE } = PROOFPOINT_ET_DESCRIPTOR;

/** The reference connector's default window: 30 days. */
const DEFAULT_WINDOW_MS = 30 * 86_400_000;

/** Builds the enricher from validated settings. */
export function createEtEnricher(settings: ProofpointEtSettings, deps: VendorDeps): Enricher {
  const http = createVendorHttpClient({
    vendor: VENDOR,
    title: TITLE,
    baseUrl: settings.api_base_url,
    headers: { authorization: settings.api_key, "user-agent": deps.userAgent },
    ...commonClientOptions(settings, deps, "PROOFPOINT_ET_INTELLIGENCE_MAX_RESPONSE_MB"),
    logger: deps.logger,
  });
  const api = new EtIntelligenceApi(http);
  const author = etAuthor(deps.connectorName);
  const windowMs = parseIsoDuration(settings.import_last_seen_time_window) ?? DEFAULT_WINDOW_MS;
  return {
    async probe(signal) {
      await api.list(["repcategories"], signal ? { signal } : {});
    },
    async enrich(entity, context) {
      const maxLength = context.limits.maxValueLength;
      const lookup: LookupContext = {
        api,
        mapping: new Mapping({
          author,
          context,
          windowStart: windowStart(context.now, windowMs),
          importScore: settings.import_reputation_score,
        }),
        call: { signal: context.signal, onCachedAnswer: () => context.answeredFromCache() },
      };
      const value = entity.stix.value;
      const lookupAddress = (
        type: "ipv4-addr" | "ipv6-addr",
        what: string,
        check: typeof checkIpv4,
      ) =>
        lookupIp(
          type,
          requireValue(what, value, { maxLength, check }),
          settings.ip_lookups,
          lookup,
        );
      switch (entity.entityType.toLowerCase()) {
        case "ipv4-addr":
          return await lookupAddress("ipv4-addr", "IPv4-Addr", checkIpv4);
        case "ipv6-addr":
          return await lookupAddress("ipv6-addr", "IPv6-Addr", checkIpv6);
        case "domain-name":
          return await lookupDomain(
            requireValue("Domain-Name", value, { maxLength, check: checkDomain }),
            settings.domain_lookups,
            lookup,
          );
        case "stixfile":
        case "file":
          return await lookupFile(fileMd5(entity.stix.hashes, maxLength), lookup);
        default:
          throw new MessageError(`${TITLE} cannot enrich ${entity.entityType}`);
      }
    },
  };
}

/** The MD5 a file is looked up by (ET Intelligence knows samples by MD5 only). */
function fileMd5(hashes: unknown, maxLength: number): string {
  const md5 = hashes !== null && typeof hashes === "object"
    ? (hashes as Record<string, unknown>).MD5
    : undefined;
  if (typeof md5 !== "string") {
    throw new MessageError(`${TITLE} looks files up by MD5, and this file has none`);
  }
  return requireValue("StixFile MD5", md5, { maxLength, check: (text) => checkHash("md5", text) });
}
