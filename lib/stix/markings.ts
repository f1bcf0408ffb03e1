/**
 * The TLP marking-definition objects, with the fixed ids and the
 * `x_opencti_definition*` properties OpenCTI's import reads first.
 *
 * @module
 */

import { TLP_MARKING_IDS, type TlpLevel } from "./tlp.ts";
import type { StixObject } from "./types.ts";

// cti-python-stix2's TLP objects carry this date; a fixed value keeps the objects identical run to run.
const TLP_CREATED = "2017-01-20T00:00:00.000Z";

/**
 * Returns the marking-definition of a TLP level. CLEAR, WHITE, GREEN, AMBER
 * and RED take the STIX 2.1 `tlp` shape; AMBER+STRICT, which STIX 2.1 lacks,
 * takes the `statement` shape connectors use. All carry
 * `x_opencti_definition_type: "TLP"` and `x_opencti_definition`.
 */
export function tlpMarking(level: TlpLevel): StixObject {
  const base = {
    type: "marking-definition",
    spec_version: "2.1",
    id: TLP_MARKING_IDS[level],
    created: TLP_CREATED,
    name: level,
  };
  const definition = level === "TLP:AMBER+STRICT"
    ? { definition_type: "statement", definition: { statement: "custom" } }
    : { definition_type: "tlp", definition: { tlp: level.slice("TLP:".length).toLowerCase() } };
  return {
    ...base,
    ...definition,
    x_opencti_definition_type: "TLP",
    x_opencti_definition: level,
  };
}
