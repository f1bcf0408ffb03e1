/**
 * The ProofPoint ET Intelligence vendor module.
 *
 * @module
 */

import type { VendorModule } from "../vendor_module.ts";
import type { ProofpointEtSettings } from "./config.ts";
import { PROOFPOINT_ET_DESCRIPTOR, PROOFPOINT_ET_MANIFEST } from "./descriptor.ts";
import { createEtEnricher } from "./enricher.ts";

export { etAuthor } from "./author.ts";
export { PROOFPOINT_ET_SECTION, type ProofpointEtSettings } from "./config.ts";
export { countryName } from "./countries.ts";
export { CATEGORY_LABEL_COLOR, MESSAGES } from "./mapping.ts";
export { DOMAIN_LOOKUPS, IP_LOOKUPS } from "./lookups.ts";
export { windowStart, withinWindow } from "./window.ts";

/** ProofPoint ET Intelligence, as the runtime sees it. */
export const PROOFPOINT_ET_VENDOR: VendorModule = {
  ...PROOFPOINT_ET_DESCRIPTOR,
  manifest: PROOFPOINT_ET_MANIFEST,
  create: (settings, deps) => createEtEnricher(settings as ProofpointEtSettings, deps),
};
