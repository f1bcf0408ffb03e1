/**
 * Who Silent Push is to the runtime: registry name, settings, connector
 * defaults (silentpush.md §1.1, §8 item 2) and catalog manifest (§1.3).
 *
 * @module
 */

import type { VendorManifest } from "../vendor_module.ts";
import { SILENTPUSH_SECTION } from "./config.ts";

/** Entity types the Silent Push module enriches. */
export const SILENTPUSH_SUPPORTED_TYPES = [
  "Indicator",
  "IPv4-Addr",
  "IPv6-Addr",
  "Domain-Name",
  "Hostname",
  "Url",
] as const;

/** Registry name, aliases, settings and defaults of the Silent Push module. */
export const SILENTPUSH_DESCRIPTOR = {
  name: "silentpush",
  aliases: ["silent-push", "silent_push", "silentpush-enrichment"],
  title: "Silent Push",
  slug: "silentpush-enrichment",
  section: SILENTPUSH_SECTION,
  apiKeySetting: "api_key",
  defaults: {
    id: "9955194d-d000-4507-bc9d-19f851c20de9",
    name: "Silent Push - Enrichment",
    scope: [...SILENTPUSH_SUPPORTED_TYPES],
    auto: false,
  },
  supportedTypes: SILENTPUSH_SUPPORTED_TYPES,
} as const;

/** The catalog manifest (`__metadata__/silentpush-enrichment/connector_manifest.json`). */
export const SILENTPUSH_MANIFEST: VendorManifest = {
  title: "Silent Push Enrichment",
  slug: "silentpush-enrichment",
  description:
    "Silent Push enriches IPv4 and IPv6 addresses, domains, hostnames, URLs and indicators with its risk scores and infrastructure context: ASN, subnet, country, PTR records, registrar, name servers, A-record history, certificates and favicons.\n\nThis connector is run by opencti-enrich, a single-binary runtime that processes enrichment requests concurrently, acknowledges a message only after its results are confirmed, and never swallows an error.",
  short_description:
    "Enrich observables and indicators with Silent Push risk scores and infrastructure context.",
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
