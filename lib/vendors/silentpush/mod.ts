/**
 * The Silent Push vendor module.
 *
 * @module
 */

import type { VendorModule } from "../vendor_module.ts";
import type { SilentPushSettings } from "./config.ts";
import { SILENTPUSH_DESCRIPTOR, SILENTPUSH_MANIFEST } from "./descriptor.ts";
import { createSilentPushEnricher } from "./enricher.ts";

export { SILENTPUSH_AUTHOR } from "./author.ts";
export { SILENTPUSH_SECTION, type SilentPushSettings } from "./config.ts";
export { indicatorObservables, patternObservables } from "./indicator.ts";
export { urlHost } from "./url.ts";

/** Silent Push, as the runtime sees it. */
export const SILENTPUSH_VENDOR: VendorModule = {
  ...SILENTPUSH_DESCRIPTOR,
  manifest: SILENTPUSH_MANIFEST,
  create: (settings, deps) => createSilentPushEnricher(settings as SilentPushSettings, deps),
};
