/**
 * Attaching the connector's author to built objects.
 *
 * @module
 */

import { checkRef } from "./_properties.ts";
import { isObservableType } from "./stix_types.ts";
import type { StixObject } from "./types.ts";

/**
 * Returns a copy of the object with the author set: `x_opencti_created_by_ref`
 * on an observable, `created_by_ref` on anything else. The author identity
 * itself is returned unchanged, since it cannot be its own author.
 */
export function withAuthor(object: StixObject, authorId: string): StixObject {
  checkRef(authorId, { stixType: object.type, property: "created_by_ref" }, ["identity"]);
  if (object.id === authorId) return { ...object };
  const key = isObservableType(object.type) ? "x_opencti_created_by_ref" : "created_by_ref";
  return { ...object, [key]: authorId };
}
