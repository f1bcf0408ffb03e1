/**
 * The Silent Push enricher: dispatches on the entity's type, collects the
 * objects with the author, and words the work message.
 *
 * @module
 */

import { MessageError } from "../../errors/mod.ts";
import { createVendorHttpClient } from "../../http/mod.ts";

import type { Enricher, EnrichmentResult, VendorDeps } from "../vendor_module.ts";
import { SilentPushApi, VENDOR } from "./api.ts";
import { SILENTPUSH_AUTHOR } from "./author.ts";
import { Collector } from "./collector.ts";
import type { SilentPushSettings } from "./config.ts";
import { enrichDomain } from "./domain.ts";
import { enrichIndicator } from "./indicator.ts";
import { enrichIp, type MappingContext } from "./ip.ts";
import { enrichUrl } from "./url.ts";

/** The address probed by `check`: well known, so the answer is cheap and stable. */
const PROBE_ADDRESS = "1.1.1.1";

/** Builds the enricher from validated settings. */
export function createSilentPushEnricher(settings: SilentPushSettings, deps: VendorDeps): Enricher {
  const http = createVendorHttpClient({
    vendor: VENDOR,
    baseUrl: settings.api_base_url,
    headers: { "x-api-key": settings.api_key, "user-agent": deps.userAgent },
    secrets: [settings.api_key],
    timeoutMs: settings.timeout * 1000,
    retry: { maxRetries: settings.max_retries },
    ...(settings.rate_limit > 0
      ? { rateLimit: { requests: settings.rate_limit, perMs: 60_000 } }
      : {}),
    verifyTls: settings.verify_cert,
    logger: deps.logger,
    ...(deps.httpObserver ? { observer: deps.httpObserver } : {}),
  });
  const api = new SilentPushApi(http);
  return {
    async probe(signal) {
      await api.enrichIp("ipv4", PROBE_ADDRESS, signal);
    },
    async enrich(entity, context): Promise<EnrichmentResult> {
      const collector = new Collector(context.logger);
      const mapping: MappingContext = {
        api,
        labels: context.labels,
        logger: context.logger,
        signal: context.signal,
      };
      const value = typeof entity.stix.value === "string" ? entity.stix.value : undefined;
      const shown = value ?? String(entity.stix.name ?? entity.standardId);
      let found: boolean;
      switch (entity.entityType.toLowerCase()) {
        case "ipv4-addr":
          found =
            (await enrichIp("ipv4-addr", need(value, entity.entityType), mapping, collector)).found;
          break;
        case "ipv6-addr":
          found =
            (await enrichIp("ipv6-addr", need(value, entity.entityType), mapping, collector)).found;
          break;
        case "domain-name":
          found =
            (await enrichDomain("domain-name", need(value, entity.entityType), mapping, collector))
              .found;
          break;
        case "hostname":
          found =
            (await enrichDomain("hostname", need(value, entity.entityType), mapping, collector))
              .found;
          break;
        case "url":
          found = (await enrichUrl(need(value, entity.entityType), mapping, collector)).found;
          break;
        case "indicator": {
          const result = await enrichIndicator(entity.stix, context.now, mapping, collector);
          if (result.observables === 0) {
            return {
              objects: [],
              outcome: "no_data",
              message:
                `Silent Push: indicator "${shown}" names no IPv4, IPv6, domain, hostname or URL observable`,
            };
          }
          found = result.found;
          break;
        }
        default:
          throw new MessageError(`Silent Push cannot enrich ${entity.entityType}`);
      }
      if (!found) {
        return {
          objects: [],
          outcome: "no_data",
          message: `Silent Push has no information about ${entity.entityType} "${shown}"`,
        };
      }
      const objects = [...collector.objects(), SILENTPUSH_AUTHOR];
      return {
        objects,
        outcome: "enriched",
        message: ({ pushed }) =>
          `Silent Push enriched ${entity.entityType} "${shown}": ${objects.length} objects, ${pushed} bundles sent`,
      };
    },
  };
}

function need(value: string | undefined, entityType: string): string {
  if (value === undefined || value.trim() === "") {
    throw new MessageError(`The ${entityType} to enrich has no value`);
  }
  return value;
}
