/**
 * Collects the objects of one enrichment: stamps the vendor's author on
 * each (and a marking when asked), keeps the first object of each id, builds
 * relationships, and skips any record a STIX builder refuses, so one
 * malformed record never fails the enrichment. A refusal is counted against
 * the record's {@link Intake} when it has one, else summed per kind of
 * object and reported once by {@link Collector.close}: never one log line
 * per record.
 *
 * @module
 */

import {
  relationship,
  type RelationshipProperties,
  StixError,
  type StixObject,
  withAuthor,
} from "../stix/mod.ts";
import { Intake, type IntakeContext } from "./intake.ts";

/** Options of {@link Collector}. */
export interface CollectorOptions {
  /** Id of the author identity every object carries. */
  authorId: string;
  /** The vendor's name, for notice subjects. */
  title: string;
  /** Caps and the notice sink. */
  context: IntakeContext;
}

/** Options of one added object. */
export interface AddOptions {
  /** The intake the record came from: a refusal is counted there. */
  intake?: Intake | undefined;
  /** A marking-definition id put in `object_marking_refs`. */
  marking?: string | undefined;
}

/** The relationship properties a caller chooses (the ends come from the objects). */
export type RelationProperties = Omit<
  RelationshipProperties,
  "relationshipType" | "sourceRef" | "targetRef"
>;

/** The objects of one enrichment, in insertion order. */
export class Collector {
  readonly #options: CollectorOptions;
  readonly #objects = new Map<string, StixObject>();
  readonly #refused = new Map<string, Intake>();

  /** Starts an empty collection. */
  constructor(options: CollectorOptions) {
    this.#options = options;
  }

  /** Builds and adds an object; returns the kept object of its id, or undefined when the builder refused it. */
  add(what: string, build: () => StixObject, options: AddOptions = {}): StixObject | undefined {
    let object: StixObject;
    try {
      object = withAuthor(build(), this.#options.authorId);
    } catch (error) {
      if (!(error instanceof StixError)) throw error;
      if (options.intake) options.intake.reject(error.message);
      else this.#refusals(what).one(what, () => ({ ok: false, reason: error.message }));
      return undefined;
    }
    if (options.marking) object = { ...object, object_marking_refs: [options.marking] };
    if (!this.#objects.has(object.id)) this.#objects.set(object.id, object);
    return this.#objects.get(object.id);
  }

  /** Adds `source -type-> target`; skipped when either end is missing or both are the same. */
  relate(
    type: string,
    source: StixObject | undefined,
    target: StixObject | undefined,
    properties: RelationProperties = {},
    options: AddOptions = {},
  ): StixObject | undefined {
    if (!source || !target || source.id === target.id) return undefined;
    return this.add(
      "relationship",
      () =>
        relationship({
          relationshipType: type,
          sourceRef: source.id,
          targetRef: target.id,
          ...properties,
        }),
      options,
    );
  }

  /** Adds every object of another collection (first of each id kept). */
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

  /** Reports the records the builders refused outside any intake, one notice per kind of object. */
  close(): void {
    for (const intake of this.#refused.values()) intake.close();
  }

  #refusals(what: string): Intake {
    let intake = this.#refused.get(what);
    if (!intake) {
      intake = new Intake(
        `${this.#options.title} ${what} records the STIX builders refused`,
        this.#options.context,
      );
      this.#refused.set(what, intake);
    }
    return intake;
  }
}
