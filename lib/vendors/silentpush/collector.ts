/**
 * Collects the objects of one enrichment: stamps the Silent Push author on
 * each, keeps the first object of each id, builds relationships, and skips
 * (with a log line) any sub-record the STIX builders refuse, so one malformed
 * record never fails the enrichment (decision 2).
 *
 * @module
 */

import type { Logger } from "../../log/mod.ts";
import { relationship, StixError, type StixObject, withAuthor } from "../../stix/mod.ts";
import { SILENTPUSH_AUTHOR } from "./author.ts";

/** The objects of one enrichment, in insertion order. */
export class Collector {
  readonly #objects = new Map<string, StixObject>();
  readonly #logger: Logger;

  /** Starts an empty collection. */
  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Builds and adds an object; returns it, or undefined when the builder refused the record. */
  add(what: string, build: () => StixObject): StixObject | undefined {
    let object: StixObject;
    try {
      object = withAuthor(build(), SILENTPUSH_AUTHOR.id);
    } catch (error) {
      if (!(error instanceof StixError)) throw error;
      this.#logger.warning(`Skipped a malformed Silent Push ${what}`, { reason: error.message });
      return undefined;
    }
    if (!this.#objects.has(object.id)) this.#objects.set(object.id, object);
    return this.#objects.get(object.id);
  }

  /** Adds `source -relationshipType-> target` with a description; skipped when either is missing. */
  relate(
    relationshipType: string,
    source: StixObject | undefined,
    target: StixObject | undefined,
    description: string,
  ): void {
    if (!source || !target || source.id === target.id) return;
    this.add(
      "relationship",
      () =>
        relationship({ relationshipType, sourceRef: source.id, targetRef: target.id, description }),
    );
  }

  /** Adds every object of another collection. */
  merge(other: Collector): void {
    for (const object of other.objects()) {
      if (!this.#objects.has(object.id)) this.#objects.set(object.id, object);
    }
  }

  /** The objects so far. */
  objects(): StixObject[] {
    return [...this.#objects.values()];
  }

  /** Number of objects so far. */
  get size(): number {
    return this.#objects.size;
  }
}

/** A score the builders accept (integer 0-100), or undefined. */
export function scoreOf(value: number | null | undefined): number | undefined {
  if (value === null || value === undefined || !Number.isFinite(value)) return undefined;
  return Math.min(100, Math.max(0, Math.round(value)));
}
