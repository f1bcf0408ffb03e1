/**
 * The objects of one ET Intelligence enrichment: the re-emitted entity
 * (labels from the reputation categories, score from the highest reputation
 * score) carrying only the author, every other object carrying the author
 * and the TLP:AMBER+STRICT marking; first object of each id kept. Then the
 * result: an error when every call failed (or the key was refused), the
 * reference connector's messages otherwise.
 *
 * @module
 */

import { errorMessage, VendorError } from "../../errors/mod.ts";
import type { Logger } from "../../log/mod.ts";
import { type StixObject, tlpMarking, valueObservable } from "../../stix/mod.ts";
import { Collector, type RelationProperties } from "../collector.ts";
import { Intake } from "../intake.ts";
import type { Checked } from "../values.ts";
import type { EnrichmentContext, EnrichmentResult } from "../vendor_module.ts";
import type { CallResult } from "./api.ts";
import { PROOFPOINT_ET_DESCRIPTOR } from "./descriptor.ts";
import { reputationItem } from "./schemas.ts";
import { withinWindow } from "./window.ts";
import type { Settled } from "./settle.ts";

const { name: VENDOR, title: TITLE } = PROOFPOINT_ET_DESCRIPTOR;

/** Colour of the reputation-category labels. */
export const CATEGORY_LABEL_COLOR = "#d84315";

/**
 * The reference connector's work messages (OpenCTI-Platform/connectors,
 * `internal-enrichment/proofpoint-et-intelligence/src/connector/connector.py`).
 */
export const MESSAGES = {
  collected: (count: number) =>
    `The enrichment process has been completed and the number of entities that have been collected by ProofPoint ET Intelligence is as follows: ${count}`,
  nothingNew:
    "[CONNECTOR] Enrichment process has been completed, but no new information was collected by ProofPoint ET Intelligence. Therefore, no enrichment was performed.",
  fileDone: "[CONNECTOR] Enrichment process has been completed",
} as const;

/** The marking of every created object. */
export const AMBER_STRICT = tlpMarking("TLP:AMBER+STRICT");

/** What a mapping needs. */
export interface MappingOptions {
  author: StixObject;
  context: EnrichmentContext;
  /** First kept `last_seen` date (`YYYY-MM-DD`). */
  windowStart: string;
  importScore: boolean;
}

/** The objects of one enrichment. */
export class Mapping {
  readonly options: MappingOptions;
  readonly #collector: Collector;

  /** Starts an empty mapping. */
  constructor(options: MappingOptions) {
    this.options = options;
    this.#collector = new Collector({
      authorId: options.author.id,
      title: TITLE,
      context: options.context,
    });
  }

  /** The value length limit. */
  get maxLength(): number {
    return this.options.context.limits.maxValueLength;
  }

  /** The logger of the enrichment. */
  get logger(): Logger {
    return this.options.context.logger;
  }

  /** A capped, checked list: the items `parse` accepts, and the intake to count refusals on. */
  list<T>(
    subject: string,
    items: readonly unknown[] | undefined,
    parse: (item: unknown) => Checked<T>,
  ): { items: T[]; intake: Intake } {
    const intake = new Intake(`${TITLE} ${subject}`, this.options.context);
    return { items: intake.take(items, parse), intake };
  }

  /** An object answer that was not in the documented shape: one notice. */
  invalidAnswer(subject: string, result: Settled<CallResult<unknown>> | undefined): void {
    if (result && "value" in result && result.value.kind === "invalid") {
      this.options.context.report({
        kind: "invalid",
        subject: `${TITLE} ${subject}`,
        kept: 0,
        total: 1,
        reasons: [result.value.reason],
      });
    }
  }

  /** The re-emitted entity: labels from categories, score from the highest category score. */
  async main(
    type: "ipv4-addr" | "ipv6-addr" | "domain-name",
    value: string,
    reputation: readonly unknown[] | undefined,
  ): Promise<StixObject | undefined> {
    const { items, intake } = this.list(
      `reputation of ${value}`,
      reputation,
      (raw) => reputationItem(raw, this.maxLength),
    );
    intake.close();
    const categories = [...new Set(items.map((entry) => entry.category))];
    const ensured = await Promise.all(
      categories.map((category) =>
        this.options.context.labels.ensure(category, CATEGORY_LABEL_COLOR)
      ),
    );
    const labels = [...new Set(ensured.filter((label) => label !== undefined))];
    let highest: number | undefined;
    for (const entry of items) {
      if (highest === undefined || entry.score > highest) highest = entry.score;
    }
    const score = this.options.importScore && highest !== undefined
      ? Math.min(100, highest)
      : undefined;
    return this.entity("entity", () => valueObservable(type, value, { labels, score }));
  }

  /** Adds the re-emitted entity (author, no marking); undefined when its builder refused it. */
  entity(what: string, build: () => StixObject): StixObject | undefined {
    return this.#collector.add(what, build);
  }

  /** Adds a created object (author and marking); undefined when its builder refused it. */
  add(what: string, build: () => StixObject, intake?: Intake): StixObject | undefined {
    return this.#collector.add(what, build, { intake, marking: AMBER_STRICT.id });
  }

  /** Adds a marked relationship, its start time the `first_seen` day when given. */
  relate(
    type: string,
    source: StixObject | undefined,
    target: StixObject | undefined,
    firstSeen?: string,
    intake?: Intake,
  ): void {
    const properties: RelationProperties = firstSeen
      ? { startTime: `${firstSeen.slice(0, 10)}T00:00:00.000Z` }
      : {};
    this.#collector.relate(type, source, target, properties, { intake, marking: AMBER_STRICT.id });
  }

  /** True when `lastSeen` is within the import window (inclusive). */
  recent(lastSeen: string): boolean {
    return withinWindow(lastSeen, this.options.windowStart);
  }

  /** The enrichment's result from the settled calls. */
  result(
    results: Readonly<Record<string, Settled<CallResult<unknown>> | undefined>>,
    kind: "observable" | "file",
  ): EnrichmentResult {
    this.#collector.close();
    const settled = Object.values(results).filter((item) => item !== undefined);
    const failures = settled.filter((item): item is { error: unknown } => "error" in item);
    const auth = failures.find((item) =>
      item.error instanceof VendorError && item.error.kind === "auth"
    );
    if (auth) throw auth.error;
    if (settled.length > 0 && failures.length === settled.length) {
      const first = failures[0]!.error;
      const reasons = failures.map((item) => errorMessage(item.error)).join("; ");
      throw new VendorError(`All ${settled.length} ${TITLE} calls failed: ${reasons}`, {
        vendor: VENDOR,
        kind: first instanceof VendorError ? first.kind : "network",
        ...(first instanceof VendorError && first.status ? { status: first.status } : {}),
        cause: first,
      });
    }
    for (const failure of failures) {
      this.logger.error(`[ERROR] Unsuccessful call from ${TITLE}`, {
        reason: errorMessage(failure.error),
      });
    }
    const objects = this.#collector.objects();
    const informative = objects.some((object) =>
      object.object_marking_refs !== undefined || object.x_opencti_labels !== undefined ||
      object.x_opencti_score !== undefined || object.hashes !== undefined && kind === "file"
    );
    if (!informative) {
      return {
        objects: [],
        outcome: "no_data",
        message: kind === "file" ? MESSAGES.fileDone : MESSAGES.nothingNew,
      };
    }
    const all = [
      this.options.author,
      ...(objects.some((o) => o.object_marking_refs) ? [AMBER_STRICT] : []),
      ...objects,
    ];
    return {
      objects: all,
      outcome: "enriched",
      message: kind === "file" ? MESSAGES.fileDone : ({ pushed }) => MESSAGES.collected(pushed),
    };
  }
}
