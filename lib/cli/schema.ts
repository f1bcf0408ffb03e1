/**
 * The `schema` command: the configuration's JSON schema, of a whole
 * config.yml or, with `--vendor`, of one vendor connector in the OpenCTI
 * catalog's env-keyed format.
 *
 * @module
 */

import { catalogJsonSchema, configFileJsonSchema } from "../config/mod.ts";
import { vendorModule, VENDORS } from "../vendors/mod.ts";

/** The schema as pretty-printed JSON. */
export function schemaCommand(vendor: string | undefined): string {
  const schema = vendor === undefined
    ? configFileJsonSchema(VENDORS)
    : catalogJsonSchema(vendorModule(vendor));
  return JSON.stringify(schema, null, 2);
}
