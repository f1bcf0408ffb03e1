/**
 * Observed-data grouping the observables seen behind an indicator.
 *
 * @module
 */

import {
  checkRefs,
  domainObject,
  type DomainOptions,
  fail,
  optionalInteger,
  whereIn,
} from "./_properties.ts";
import { formatTimestamp, type Timestamp } from "./_timestamp.ts";
import { observedDataId } from "./opencti_id.ts";
import type { StixObject } from "./types.ts";

/** Properties of {@link observedData}. */
export interface ObservedDataProperties {
  /** Ids of the observed objects; sorted and de-duplicated, so the id does not depend on their order. */
  objectRefs: readonly string[];
  /** `first_observed`. */
  firstObserved: Timestamp;
  /** `last_observed`, not before `first_observed`. */
  lastObserved: Timestamp;
  /** `number_observed`, 1–999999999; 1 when not given. */
  numberObserved?: number | undefined;
}

/** Builds an `observed-data` whose id is pycti's `ObservedData.generate_id` over the sorted refs. */
export function observedData(
  properties: ObservedDataProperties,
  options: DomainOptions = {},
): StixObject {
  const where = whereIn("observed-data");
  const refs = checkRefs(properties.objectRefs, where("object_refs")) ?? [];
  if (refs.length === 0) fail(where("object_refs"), "at least one object is required");
  const objectRefs = [...new Set(refs)].sort();
  const firstObserved = formatTimestamp(properties.firstObserved, where("first_observed"));
  const lastObserved = formatTimestamp(properties.lastObserved, where("last_observed"));
  if (lastObserved < firstObserved) {
    fail(where("last_observed"), `"${lastObserved}" is before first_observed "${firstObserved}"`);
  }
  return domainObject("observed-data", observedDataId(objectRefs), {
    first_observed: firstObserved,
    last_observed: lastObserved,
    number_observed: optionalInteger(properties.numberObserved ?? 1, where("number_observed"), {
      min: 1,
      max: 999_999_999,
    }),
    object_refs: objectRefs,
  }, options);
}
