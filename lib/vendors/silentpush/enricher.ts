/**
 * The Silent Push enricher: dispatches on the entity's type, collects the
 * objects with the author, and words the work message.
 *
 * @module
 */

import { MessageError } from "../../errors/mod.ts";
import { createVendorHttpClient } from "../../http/mod.ts";
import { commonClientOptions } from "../_client.ts";
import type { Enricher, EnrichmentResult, VendorDeps } from "../vendor_module.ts";
import { SilentPushApi } from "./api.ts";
import { SILENTPUSH_AUTHOR } from "./author.ts";
import { silentPushCollector } from "./collector.ts";
import type { SilentPushSettings } from "./config.ts";
import { SILENTPUSH_DESCRIPTOR } from "./descriptor.ts";
import { enrichDomain } from "./domain.ts";
import { enrichIndicator } from "./indicator.ts";
import { enrichIp, type MappingContext } from "./ip.ts";
import { enrichUrl } from "./url.ts";
import { quoteValue } from "../values.ts";

/** The address probed by `check`: well known, so the answer is cheap and stable. */
const PROBE_ADDRESS = "1.1.1.1";

/** Builds the enricher from validated settings. */
export function createSilentPushEnricher(settings: SilentPushSettings, deps: VendorDeps): Enricher {
  const http = createVendorHttpClient({
    vendor: SILENTPUSH_DESCRIPTOR.name,
    title: SILENTPUSH_DESCRIPTOR.title,
    baseUrl: settings.api_base_url,
    headers: { "x-api-key": settings.api_key, "user-agent": deps.userAgent },
    ...commonClientOptions(settings, deps, "SILENTPUSH_MAX_RESPONSE_MB"),
    verifyTls: settings.verify_cert,
    logger: deps.logger,
  });
  const api = new SilentPushApi(http);
  return {
    async probe(signal) {
      await api.enrichIp("ipv4", PROBE_ADDRESS, signal ? { signal } : {});
    },
    async enrich(entity, context): Promise<EnrichmentResult> {
      const mapping: MappingContext = {
        api,
        labels: context.labels,
        logger: context.logger,
        limits: context.limits,
        report: (notice) => context.report(notice),
        call: { signal: context.signal, onCachedAnswer: () => context.answeredFromCache() },
      };
      const collector = silentPushCollector(mapping);
      const value = entity.stix.value;
      const shown = typeof value === "string"
        ? value
        : String(entity.stix.name ?? entity.standardId);
      let found: boolean;
      const type = entity.entityType.toLowerCase();
      switch (type) {
        case "ipv4-addr":
        case "ipv6-addr":
          found = (await enrichIp(type, text(value), mapping, collector)).found;
          break;
        case "domain-name":
        case "hostname":
          found = (await enrichDomain(type, text(value), mapping, collector)).found;
          break;
        case "url":
          found = (await enrichUrl(text(value), mapping, collector)).found;
          break;
        case "indicator": {
          const result = await enrichIndicator(entity.stix, context.now, mapping, collector);
          if (result.observables === 0) {
            return {
              objects: [],
              outcome: "no_data",
              message: `${SILENTPUSH_DESCRIPTOR.title}: indicator ${
                quoteValue(shown)
              } names no IPv4, IPv6, domain, hostname or URL observable`,
            };
          }
          found = result.found;
          break;
        }
        default:
          throw new MessageError(
            `${SILENTPUSH_DESCRIPTOR.title} cannot enrich ${entity.entityType}`,
          );
      }
      collector.close();
      if (!found) {
        return {
          objects: [],
          outcome: "no_data",
          message: `${SILENTPUSH_DESCRIPTOR.title} has no information about ${entity.entityType} ${
            quoteValue(shown)
          }`,
        };
      }
      const objects = [...collector.objects(), SILENTPUSH_AUTHOR];
      return {
        objects,
        outcome: "enriched",
        message: ({ pushed }) =>
          `${SILENTPUSH_DESCRIPTOR.title} enriched ${entity.entityType} ${
            quoteValue(shown)
          }: ${objects.length} objects, ${pushed} bundles sent`,
      };
    },
  };
}

/** The entity value as text for the checks (which refuse anything that is not a value). */
function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}
