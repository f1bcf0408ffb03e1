/**
 * Who ProofPoint ET Intelligence is to the runtime: registry name, settings,
 * connector defaults (proofpoint-et.md §1.1) and catalog manifest (§1.2,
 * decision 9: playbooks supported).
 *
 * @module
 */

import type { VendorManifest } from "../vendor_module.ts";
import { PROOFPOINT_ET_SECTION } from "./config.ts";

/** Entity types the ET Intelligence module enriches (IPv6 only when added to the scope: decision 7). */
export const PROOFPOINT_ET_SUPPORTED_TYPES = [
  "IPv4-Addr",
  "Domain-Name",
  "StixFile",
  "IPv6-Addr",
] as const;

/** Registry name, aliases, settings and defaults of the ET Intelligence module. */
export const PROOFPOINT_ET_DESCRIPTOR = {
  name: "proofpoint-et",
  aliases: [
    "proofpoint_et",
    "proofpoint-et-intelligence",
    "proofpoint_et_intelligence",
    "et-intelligence",
  ],
  title: "ProofPoint ET Intelligence",
  slug: "proofpoint-et-intelligence",
  section: PROOFPOINT_ET_SECTION,
  apiKeySetting: "api_key",
  defaults: {
    id: "f2de8084-47ab-4ff2-ae63-e5a7c6e5c720",
    name: "ProofPoint ET Intelligence",
    scope: ["IPv4-Addr", "Domain-Name", "StixFile"],
    auto: true,
  },
  supportedTypes: PROOFPOINT_ET_SUPPORTED_TYPES,
} as const;

/** The catalog manifest (`__metadata__/proofpoint-et-intelligence/connector_manifest.json`). */
export const PROOFPOINT_ET_MANIFEST: VendorManifest = {
  title: "Proofpoint Emerging Threat Intelligence",
  slug: "proofpoint-et-intelligence",
  description:
    'ProofPoint ET Intelligence enriches IPv4 addresses, domains and file hashes with reputation categories and scores, passive-DNS resolutions, malware samples that contacted them, geolocation and autonomous systems.\n\nThis connector is run by opencti-enrich, a single-binary runtime that processes enrichment requests concurrently, respects the API\'s per-key rate limit, and reports authentication and rate-limit failures instead of hiding them as "no data".',
  short_description:
    "Enrich IPs, domains and file hashes with ProofPoint ET Intelligence reputation and relations.",
  use_cases: ["Infrastructure & Attack Surface Visibility"],
  solution_categories: ["Enrichment & Reputation"],
  license_type: "Commercial",
  verified: false,
  playbook_supported: true,
  max_confidence_level: 50,
  support_version: ">=6.8.0",
  manager_supported: false,
  container_type: "INTERNAL_ENRICHMENT",
};
