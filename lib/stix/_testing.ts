/**
 * What the builders' tests share: an author id, the AMBER+STRICT marking
 * id, and an assertion that a call throws a {@link StixError} about one
 * property.
 *
 * @module
 */

import assert from "node:assert/strict";
import { StixError } from "./errors.ts";
import { TLP_MARKING_IDS } from "./tlp.ts";

/** An author identity id. */
export const AUTHOR = "identity--fed9dc45-9659-5e32-9d2d-eb9a45df43a7";

/** The id of the TLP:AMBER+STRICT marking. */
export const AMBER_STRICT = TLP_MARKING_IDS["TLP:AMBER+STRICT"];

/**
 * Asserts that `fn` throws a {@link StixError} about `property` (of
 * `stixType` when given) whose message matches `message`.
 */
export function assertStixError(
  fn: () => unknown,
  property: string,
  message: RegExp,
  stixType?: string,
): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof StixError, "a StixError");
    if (stixType !== undefined) assert.equal(error.stixType, stixType);
    assert.equal(error.property, property);
    assert.match(error.message, message);
    return true;
  });
}
