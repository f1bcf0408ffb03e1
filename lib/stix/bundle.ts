/**
 * The bundle a connector sends, as pycti's `stix2_create_bundle` builds it.
 *
 * @module
 */

import { StixError } from "./errors.ts";
import type { StixBundle, StixObject } from "./types.ts";

/** Options of {@link createBundle}. */
export interface CreateBundleOptions {
  /** The bundle id; `bundle--<random uuid>` when not given. */
  id?: string | undefined;
}

/**
 * Wraps objects in a STIX 2.1 bundle, keeping the first object of each id
 * (later duplicates are dropped). Throws a {@link StixError} for an object
 * without a string `type` and `id`.
 */
export function createBundle(
  objects: readonly StixObject[],
  options: CreateBundleOptions = {},
): StixBundle {
  const seen = new Set<string>();
  const kept: StixObject[] = [];
  objects.forEach((object, index) => {
    if (
      typeof object !== "object" || object === null || typeof object.type !== "string" ||
      typeof object.id !== "string" || object.id === ""
    ) {
      throw new StixError(`Cannot bundle object #${index}: it needs a string "type" and "id"`);
    }
    if (seen.has(object.id)) return;
    seen.add(object.id);
    kept.push(object);
  });
  const id = options.id ?? `bundle--${crypto.randomUUID()}`;
  if (!id.startsWith("bundle--")) {
    throw new StixError(`Invalid bundle id "${id}": it must start with "bundle--"`, {
      stixType: "bundle",
      property: "id",
    });
  }
  return { type: "bundle", id, spec_version: "2.1", objects: kept };
}
