/**
 * The Silent Push collection of one enrichment (every object carries the
 * Silent Push author), and the score rule of its answers.
 *
 * @module
 */

import { Collector } from "../collector.ts";
import type { IntakeContext } from "../intake.ts";
import { SILENTPUSH_AUTHOR } from "./author.ts";
import { SILENTPUSH_DESCRIPTOR } from "./descriptor.ts";

export { Collector } from "../collector.ts";

/** An empty collection whose objects carry the Silent Push author. */
export function silentPushCollector(context: IntakeContext): Collector {
  return new Collector({
    authorId: SILENTPUSH_AUTHOR.id,
    title: SILENTPUSH_DESCRIPTOR.title,
    context,
  });
}

/** A score the builders accept (integer 0-100), or undefined. */
export function scoreOf(value: number | null | undefined): number | undefined {
  if (value === null || value === undefined || !Number.isFinite(value)) return undefined;
  return Math.min(100, Math.max(0, Math.round(value)));
}
