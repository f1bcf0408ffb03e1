/**
 * Checks of the single values a Silent Push answer gives (names, numbers,
 * hosts), shared by the IP and domain mappings. Empty values count as
 * absent; anything else that fails is counted by the caller's intake.
 *
 * @module
 */

import type { Intake } from "../intake.ts";
import { type Checked, checkText } from "../values.ts";
import type { LabelService } from "../vendor_module.ts";
import type { FlagLabel } from "./flags.ts";

/** The largest autonomous system number (32 bits). */
const MAX_ASN = 4_294_967_295;

/** A present value: not null, undefined, or blank text. */
export function present(value: unknown): boolean {
  return value !== null && value !== undefined && !(typeof value === "string" && !value.trim());
}

/** Text of the answer checked through `intake`; undefined when absent or refused. */
export function textField(intake: Intake, value: unknown, maxLength: number): string | undefined {
  return present(value) ? intake.one(value, (item) => checkText(item, maxLength)) : undefined;
}

/** An autonomous system number: an integer 1 to 2^32-1. */
export function checkAsn(value: unknown): Checked<number> {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_ASN
    ? { ok: true, value }
    : { ok: false, reason: `not an AS number (${String(value).slice(0, 20)})` };
}

/** The labels of the raised flags, each through the label service; left-out ones dropped. */
export async function flagLabels(labels: LabelService, flags: FlagLabel[]): Promise<string[]> {
  const ensured = await Promise.all(flags.map((flag) => labels.ensure(flag.name, flag.color)));
  return [...new Set(ensured.filter((label) => label !== undefined))];
}
