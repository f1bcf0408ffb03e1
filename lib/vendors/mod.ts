/**
 * The vendor registry: every vendor module this build hosts. Adding a vendor
 * is one new folder exporting a {@link VendorModule}, plus one line here.
 *
 * @module
 */

import { findVendor } from "../config/mod.ts";
import { UsageError } from "../errors/mod.ts";
import { PROOFPOINT_ET_VENDOR } from "./proofpoint_et/mod.ts";
import { SILENTPUSH_VENDOR } from "./silentpush/mod.ts";
import type { VendorModule } from "./vendor_module.ts";

export type {
  DeliverySummary,
  Enricher,
  EnrichmentContext,
  EnrichmentEntity,
  EnrichmentNotice,
  EnrichmentResult,
  LabelService,
  VendorDeps,
  VendorManifest,
  VendorModule,
} from "./vendor_module.ts";

export { InvalidValueError, quoteValue } from "./values.ts";
export { CHECKED_TYPES, checkValue } from "./check_value.ts";

/** Every vendor module, in documentation order. */
export const VENDORS: readonly VendorModule[] = [SILENTPUSH_VENDOR, PROOFPOINT_ET_VENDOR];

/**
 * The vendor module of a registry name or alias, case-insensitively (each
 * module's descriptor lists the older spellings `CONNECTOR_VENDOR` accepts);
 * an unknown name is a usage error listing the known ones.
 */
export function vendorModule(name: string): VendorModule {
  const vendor = findVendor(VENDORS, name);
  if (!vendor) {
    const known = VENDORS.map((item) => `"${item.name}"`).join(", ");
    throw new UsageError(`Unknown vendor "${name}"; known vendors: ${known}`);
  }
  return vendor;
}
