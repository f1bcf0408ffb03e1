/**
 * Who ProofPoint ET Intelligence is to the runtime: registry name (the one
 * spelling used in code, logs, metrics labels and errors), settings,
 * connector defaults (the reference connector's name, scope and auto
 * flag) and catalog manifest. Playbooks are supported: the reference
 * connector registers `playbook_compatible=True` although its manifest says
 * otherwise.
 *
 * @module
 */

import { SHARED_MANIFEST_FIELDS, type VendorManifest } from "../vendor_module.ts";
import { PROOFPOINT_ET_SECTION } from "./config.ts";

/**
 * Entity types the ET Intelligence module enriches. IPv6-Addr is not in the
 * default scope (the API documents IPv4 only): an operator may add it, and a
 * 4xx answer to an IPv6 lookup is then "no data".
 */
export const PROOFPOINT_ET_SUPPORTED_TYPES = [
  "IPv4-Addr",
  "Domain-Name",
  "StixFile",
  "IPv6-Addr",
] as const;

/**
 * Registry name `proofpoint-et`, settings and defaults of the ET
 * Intelligence module. `CONNECTOR_VENDOR` also accepts the older spellings
 * `proofpoint_et`, `proofpoint-et-intelligence` (the reference connector's
 * catalog slug), `proofpoint_et_intelligence` and `et-intelligence`. The
 * settings keep the pycti names: YAML section `proofpoint_et_intelligence`,
 * env vars `PROOFPOINT_ET_INTELLIGENCE_*`.
 */
export const PROOFPOINT_ET_DESCRIPTOR = {
  name: "proofpoint-et",
  aliases: [
    "proofpoint_et",
    "proofpoint-et-intelligence",
    "proofpoint_et_intelligence",
    "et-intelligence",
  ],
  title: "ProofPoint ET Intelligence",
  slug: "opencti-enrich-proofpoint-et",
  section: PROOFPOINT_ET_SECTION,
  apiKeySetting: "api_key",
  defaults: {
    name: "ProofPoint ET Intelligence",
    scope: ["IPv4-Addr", "Domain-Name", "StixFile"],
    auto: true,
  },
  supportedTypes: PROOFPOINT_ET_SUPPORTED_TYPES,
} as const;

/**
 * The catalog manifest (`__metadata__/opencti-enrich-proofpoint-et/connector_manifest.json`).
 * Its own slug, so a platform never shows the reference connector's catalog
 * entry (title, logo, image) for this one.
 */
export const PROOFPOINT_ET_MANIFEST: VendorManifest = {
  title: "Proofpoint Emerging Threat Intelligence",
  slug: PROOFPOINT_ET_DESCRIPTOR.slug,
  description:
    'ProofPoint ET Intelligence enriches IPv4 addresses, domains and file hashes with reputation categories and scores, passive-DNS resolutions, malware samples that contacted them, geolocation and autonomous systems.\n\nThis connector is run by opencti-enrich, a single-binary runtime that processes enrichment requests concurrently, respects the API\'s per-key rate limit, and reports authentication and rate-limit failures instead of hiding them as "no data".',
  short_description:
    "Enrich IPs, domains and file hashes with ProofPoint ET Intelligence reputation and relations.",
  ...SHARED_MANIFEST_FIELDS,
};
