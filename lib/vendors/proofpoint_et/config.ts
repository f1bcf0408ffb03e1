/**
 * ProofPoint ET Intelligence settings: the reference connector's names and
 * defaults (OpenCTI-Platform/connectors,
 * `internal-enrichment/proofpoint-et-intelligence/src/connector/settings.py`),
 * plus the reputation-score switch, the per-key rate limit (200 queries a
 * minute per key by default: `EmergingThreats/query-api-docs`,
 * `source/index.html.md`, "Rate-limiting"), answer-size and cache settings,
 * and the lookups made per observable type (fewer lookups spend fewer of
 * those queries).
 *
 * @module
 */

import {
  booleanSetting,
  defineSection,
  durationSetting,
  enumSetting,
  integerSetting,
  listSetting,
  type SectionValues,
  stringSetting,
  TLP_LEVELS,
  urlSetting,
} from "../../config/mod.ts";
import { VENDOR_HTTP_SETTINGS } from "../_http_settings.ts";

/** The `proofpoint_et_intelligence` section. */
export const PROOFPOINT_ET_SECTION = defineSection(
  "proofpoint_et_intelligence",
  "The ProofPoint ET Intelligence API.",
  {
    api_base_url: urlSetting({
      description: "ET Intelligence API base URL (with or without a trailing slash).",
    }, "https://api.emergingthreats.net/v1/"),
    api_key: stringSetting({
      description: "ET Intelligence API key, sent raw in the Authorization header.",
      secret: true,
      required: true,
    }),
    max_tlp: enumSetting(TLP_LEVELS, {
      description: "Highest TLP of an entity that may be sent to ET Intelligence.",
    }, "TLP:AMBER+STRICT"),
    import_last_seen_time_window: durationSetting({
      description:
        "Only related domains, IPs and samples last seen within this ISO-8601 duration are imported.",
    }, "P30D"),
    import_reputation_score: booleanSetting({
      description:
        "Set the entity's score to its highest reputation score, capped at 100 (reputation categories always become labels).",
    }, true),
    rate_limit: integerSetting(
      {
        description: "Most requests per minute per API key (0 = no limit).",
      },
      200,
      { min: 0 },
    ),
    timeout: VENDOR_HTTP_SETTINGS.timeout,
    max_retries: VENDOR_HTTP_SETTINGS.max_retries,
    max_response_mb: VENDOR_HTTP_SETTINGS.max_response_mb,
    cache_ttl: VENDOR_HTTP_SETTINGS.cache_ttl,
    ip_lookups: listSetting(
      {
        description:
          "ET Intelligence lookups made for an IPv4 or IPv6 address: reputation, domains, samples, geoloc, asn.",
      },
      ["reputation", "domains", "samples", "geoloc", "asn"],
      ["reputation", "domains", "samples", "geoloc", "asn"],
    ),
    domain_lookups: listSetting(
      {
        description: "ET Intelligence lookups made for a domain: reputation, ips, samples.",
      },
      ["reputation", "ips", "samples"],
      ["reputation", "ips", "samples"],
    ),
  },
);

/** The validated values of the `proofpoint_et_intelligence` section. */
export type ProofpointEtSettings = SectionValues<typeof PROOFPOINT_ET_SECTION.settings>;
