/**
 * What one list of a vendor answer contributes to an enrichment, bounded:
 * at most `limits.maxRelated` items are looked at (the rest only counted,
 * through the array's length), each is checked, and the list ends in at most
 * two notices — one `capped`, one `invalid` with the first three reasons —
 * never one log line per item. Several lists may share one intake (the
 * A records of every host record, say), so nested lists share one cap.
 *
 * @module
 */

import type { z } from "zod";
import type { EnrichmentLimits } from "../config/mod.ts";
import type { EnrichmentNotice } from "./vendor_module.ts";
import type { Checked } from "./values.ts";

/** The env var of the list cap. */
export const MAX_RELATED_SETTING = "CONNECTOR_MAX_RELATED";

/** Reasons quoted in an `invalid` notice. */
const REASONS_KEPT = 3;
/** The longest reason quoted. */
const REASON_LENGTH = 200;

/** What an intake needs from the enrichment context. */
export interface IntakeContext {
  /** The caps; only `maxRelated` is read here. */
  limits: Pick<EnrichmentLimits, "maxRelated">;
  /** Where the notices go. */
  report(notice: EnrichmentNotice): void;
}

/** The items of one list (or of several lists under one cap) taken from a vendor answer. */
export class Intake {
  readonly #subject: string;
  readonly #context: IntakeContext;
  #total = 0;
  #examined = 0;
  #valid = 0;
  #invalid = 0;
  readonly #reasons: string[] = [];
  #closed = false;

  /** Starts an intake; `subject` names the items, e.g. `ET Intelligence domains of 1.2.3.4`. */
  constructor(subject: string, context: IntakeContext) {
    this.#subject = subject;
    this.#context = context;
  }

  /**
   * The items of `list` that `parse` accepts, among those the cap leaves
   * room for. A value that is not an array counts as one invalid item.
   */
  take<T>(list: unknown, parse: (item: unknown) => Checked<T>): T[] {
    if (list === null || list === undefined) return [];
    if (!Array.isArray(list)) {
      this.#total += 1;
      this.#examined += 1;
      this.#refuse("expected a list");
      return [];
    }
    const room = Math.max(0, this.#context.limits.maxRelated - this.#examined);
    const count = Math.min(list.length, room);
    this.#total += list.length;
    this.#examined += count;
    const items: T[] = [];
    for (let index = 0; index < count; index++) {
      const checked = parse(list[index]);
      if (checked.ok) {
        this.#valid += 1;
        items.push(checked.value);
      } else this.#refuse(checked.reason);
    }
    return items;
  }

  /** One value (not a list) through the same tally: never capped, counted when invalid. */
  one<T>(value: unknown, parse: (item: unknown) => Checked<T>): T | undefined {
    if (value === null || value === undefined) return undefined;
    this.#total += 1;
    this.#examined += 1;
    const checked = parse(value);
    if (checked.ok) {
      this.#valid += 1;
      return checked.value;
    }
    this.#refuse(checked.reason);
    return undefined;
  }

  /** `count` more items were seen past the cap without being taken (lists that are not arrays). */
  beyondCap(count: number): void {
    this.#total += count;
  }

  /** An item accepted by `take` turned out unusable later (e.g. a STIX builder refused it). */
  reject(reason: string): void {
    if (this.#valid > 0) this.#valid -= 1;
    this.#refuse(reason);
  }

  /** Reports what was left out, once: a `capped` and an `invalid` notice when they apply. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#total > this.#examined) {
      this.#context.report({
        kind: "capped",
        subject: this.#subject,
        kept: this.#examined,
        total: this.#total,
        setting: MAX_RELATED_SETTING,
      });
    }
    if (this.#invalid > 0) {
      this.#context.report({
        kind: "invalid",
        subject: this.#subject,
        kept: this.#valid,
        total: this.#valid + this.#invalid,
        reasons: [...this.#reasons],
      });
    }
  }

  #refuse(reason: string): void {
    this.#invalid += 1;
    if (this.#reasons.length < REASONS_KEPT) {
      this.#reasons.push(
        reason.length > REASON_LENGTH ? `${reason.slice(0, REASON_LENGTH)}…` : reason,
      );
    }
  }
}

/** {@link Intake.take} on one list, closed at once. */
export function takeItems<T>(
  list: unknown,
  options: IntakeContext & { subject: string; parse: (item: unknown) => Checked<T> },
): T[] {
  const intake = new Intake(options.subject, options);
  const items = intake.take(list, options.parse);
  intake.close();
  return items;
}

/** A zod check as a {@link Checked}: the parsed value, or the first issue as `path: message`. */
export function checkWith<S extends z.ZodType>(schema: S, item: unknown): Checked<z.infer<S>> {
  const parsed = schema.safeParse(item);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue?.path.join(".");
  return { ok: false, reason: `${path ? `${path}: ` : ""}${issue?.message ?? "invalid"}` };
}
