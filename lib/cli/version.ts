/**
 * The `version` command's text: the program's version and the OpenCTI
 * versions it supports.
 *
 * @module
 */

import { PRODUCT, VERSION } from "../meta/mod.ts";
import { SUPPORTED_PLATFORMS } from "../opencti/mod.ts";

/** `opencti-enrich <version>` and, on the next line, the supported platforms. */
export function versionText(): string {
  return `${PRODUCT} ${VERSION}\nSupports ${SUPPORTED_PLATFORMS}`;
}
