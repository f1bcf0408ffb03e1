/**
 * Who Silent Push is to the runtime: registry name (the one spelling used in
 * code, logs, metrics labels and errors), settings, connector defaults (the
 * reference connector's name, scope and auto flag) and catalog manifest.
 *
 * @module
 */

import { SHARED_MANIFEST_FIELDS, type VendorManifest } from "../vendor_module.ts";
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

/**
 * Registry name `silentpush`, settings and defaults of the Silent Push
 * module. `CONNECTOR_VENDOR` also accepts the older spellings `silent-push`,
 * `silent_push` and `silentpush-enrichment` (the reference connector's
 * catalog slug). The settings keep the pycti names: YAML section
 * `silentpush`, env vars `SILENTPUSH_*`.
 */
export const SILENTPUSH_DESCRIPTOR = {
  name: "silentpush",
  aliases: ["silent-push", "silent_push", "silentpush-enrichment"],
  title: "Silent Push",
  slug: "opencti-enrich-silentpush",
  section: SILENTPUSH_SECTION,
  apiKeySetting: "api_key",
  defaults: {
    name: "Silent Push - Enrichment",
    scope: [...SILENTPUSH_SUPPORTED_TYPES],
    auto: false,
  },
  supportedTypes: SILENTPUSH_SUPPORTED_TYPES,
} as const;

/**
 * The catalog manifest (`__metadata__/opencti-enrich-silentpush/connector_manifest.json`).
 * Its own slug, so a platform never shows the reference connector's catalog
 * entry (title, logo, image) for this one.
 */
export const SILENTPUSH_MANIFEST: VendorManifest = {
  title: "Silent Push Enrichment",
  slug: SILENTPUSH_DESCRIPTOR.slug,
  description:
    "Silent Push enriches IPv4 and IPv6 addresses, domains, hostnames, URLs and indicators with its risk scores and infrastructure context: ASN, subnet, country, PTR records, registrar, name servers, A-record history, certificates and favicons.\n\nThis connector is run by opencti-enrich, a single-binary runtime that processes enrichment requests concurrently, acknowledges a message only after its results are confirmed, and never swallows an error.",
  short_description:
    "Enrich observables and indicators with Silent Push risk scores and infrastructure context.",
  ...SHARED_MANIFEST_FIELDS,
};
