/**
 * The product's name and version, read from deno.json so there is one source.
 *
 * @module
 */

import denoJson from "../../deno.json" with { type: "json" };

/** The program's name, as it appears in User-Agent headers and `version`. */
export const PRODUCT = "opencti-enrich";

/** The program's version (deno.json `version`). */
export const VERSION: string = denoJson.version;

/** `opencti-enrich/<version>`, the User-Agent of every request we send. */
export const USER_AGENT = `${PRODUCT}/${VERSION}`;
