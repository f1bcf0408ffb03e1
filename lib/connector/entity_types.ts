/**
 * OpenCTI entity types as the platform names them, derived from a STIX
 * object when a message does not say (playbooks), and the scope test.
 *
 * @module
 */

import { OPENCTI_EXTENSION, openCtiEntityType } from "../stix/mod.ts";

/** The OpenCTI type of a STIX object: the platform's extension `type`, `x_opencti_type`, or mapped from `type`. */
export function openCtiTypeOf(stix: { type: string; [key: string]: unknown }): string {
  const extensions = stix.extensions as Record<string, Record<string, unknown>> | undefined;
  const fromExtension = extensions?.[OPENCTI_EXTENSION]?.type;
  if (typeof fromExtension === "string" && fromExtension !== "") return fromExtension;
  if (typeof stix.x_opencti_type === "string" && stix.x_opencti_type !== "") {
    return stix.x_opencti_type;
  }
  return openCtiEntityType(stix.type);
}

/** True when `entityType` is in `scope`, compared case-insensitively as the platform does. */
export function isInScope(entityType: string, scope: readonly string[]): boolean {
  const wanted = entityType.toLowerCase();
  return scope.some((item) => item.trim().toLowerCase() === wanted);
}
