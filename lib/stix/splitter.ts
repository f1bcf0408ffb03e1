/**
 * pycti 6.8.10's bundle splitter (`OpenCTIStix2Splitter.split_bundle_with_expectations`),
 * re-expressed: one object per bundle, ordered so that every object comes
 * after the objects it refers to, with the same ref clean-up, drops and
 * `x_opencti_seq` values as pycti, so the platform's worker sees what a
 * Python connector would send (client-python pycti/utils/opencti_stix2_splitter.py).
 *
 * @module
 */

import { canonicalize } from "./canonicalize.ts";
import { StixError } from "./errors.ts";
import { OPENCTI_EXTENSION, SPLITTER_TYPES } from "./stix_types.ts";
import type { SplitStixBundle, StixObject } from "./types.ts";

/** Options of {@link splitBundle}. */
export interface SplitBundleOptions {
  /** Copied to every bundle as `x_opencti_event_version`. */
  eventVersion?: string | undefined;
  /** pycti's `cleanup_inconsistent_bundle`: also drop refs to objects missing from the bundle. */
  cleanupInconsistent?: boolean | undefined;
}

/** What {@link splitBundle} returns. */
export interface SplitBundleResult {
  /** One-object bundles in sending order (ascending `x_opencti_seq`). */
  bundles: SplitStixBundle[];
  /** How many bundles the work should expect (`add_expectations`). */
  expectations: number;
  /** Objects left out: unsupported types, relationships or sightings that lost an end. */
  dropped: StixObject[];
}

type Item = StixObject & { nb_deps?: number };

/**
 * Splits a bundle into one-object bundles the way pycti does. The input is
 * not modified; the emitted objects are shallow copies that gain `nb_deps`,
 * with self, cyclic and unsupported refs removed and external references and
 * kill-chain phases de-duplicated (nested values they keep are shared with
 * the input). Throws a {@link StixError} when the input
 * is not a bundle of objects with string ids.
 */
export function splitBundle(
  bundle: { id?: unknown; objects?: unknown },
  options: SplitBundleOptions = {},
): SplitBundleResult {
  if (typeof bundle !== "object" || bundle === null || !Array.isArray(bundle.objects)) {
    throw new StixError("Cannot split the bundle: it has no objects list", { stixType: "bundle" });
  }
  const bundleId = typeof bundle.id === "string" ? bundle.id : `bundle--${crypto.randomUUID()}`;
  // The walk only replaces top-level properties (ref lists, cleared refs,
  // de-duplicated lists, nb_deps), so a shallow copy of each object keeps the
  // input intact; a deep clone would copy every nested value of every object
  // once more per message.
  const objects = bundle.objects.map((object: unknown) =>
    typeof object === "object" && object !== null ? { ...object } : object
  );
  const byId = new Map<string, Item>();
  objects.forEach((object, index) => {
    if (typeof object !== "object" || object === null || typeof (object as Item).id !== "string") {
      throw new StixError(`Cannot split the bundle: object #${index} has no string "id"`, {
        stixType: "bundle",
      });
    }
    const item = object as Item;
    // As in pycti, a later object with the same id replaces the earlier one.
    byId.set(item.id, item);
    for (const internalId of internalIds(item)) byId.set(internalId, item);
  });

  const walk = new DependencyWalk(byId, options.cleanupInconsistent ?? false);
  for (const object of objects as Item[]) walk.enlist(object.id, []);

  // Array.prototype.sort is stable, like Python's sort: equal counts keep discovery order.
  const ordered = [...walk.kept].sort((a, b) => (a.nb_deps ?? 0) - (b.nb_deps ?? 0));
  const bundles = ordered.map((object): SplitStixBundle => {
    const split: SplitStixBundle = {
      type: "bundle",
      id: bundleId,
      spec_version: "2.1",
      x_opencti_seq: object.nb_deps ?? 0,
      objects: [object],
    };
    if (options.eventVersion !== undefined) split.x_opencti_event_version = options.eventVersion;
    return split;
  });
  return { bundles, expectations: bundles.length, dropped: walk.dropped };
}

/** The depth-first dependency count of pycti's `enlist_element`, with its caches. */
class DependencyWalk {
  /** Objects to send, in discovery order. */
  readonly kept: Item[] = [];
  /** Objects left out. */
  readonly dropped: Item[] = [];
  readonly #byId: ReadonlyMap<string, Item>;
  readonly #cleanup: boolean;
  /** Objects already counted, by id and internal ids (pycti `cache_index`). */
  readonly #counted = new Map<string, Item>();
  /** Refs each object has followed so far (pycti `cache_refs`). */
  readonly #followed = new Map<string, string[]>();

  constructor(byId: ReadonlyMap<string, Item>, cleanup: boolean) {
    this.#byId = byId;
    this.#cleanup = cleanup;
  }

  /** Returns the object's dependency count (0 when it is not in the bundle), cleaning its refs. */
  enlist(id: string, ancestors: readonly string[]): number {
    const item = this.#byId.get(id);
    if (item === undefined) return 0;
    const counted = this.#counted.get(id);
    if (counted !== undefined) return counted.nb_deps ?? 0;

    let deps = 1;
    const followed = this.#followed.get(id) ?? [];
    this.#followed.set(id, followed);
    for (const key of Object.keys(item)) {
      const value = item[key];
      if (key.endsWith("_refs") && value !== null && value !== undefined) {
        if (!Array.isArray(value)) continue;
        const keep: unknown[] = [];
        for (const ref of value) {
          if (this.#follows(id, ref, ancestors)) {
            followed.push(ref);
            deps += this.enlist(ref, [...ancestors, ref]);
            if (!keep.includes(ref)) keep.push(ref);
          }
          // Written after every entry, as pycti does: a cycle that re-enters this
          // object while the list is half-walked sees the entries kept so far.
          item[key] = keep;
        }
      } else if (key.endsWith("_ref")) {
        if (this.#follows(id, value, ancestors)) {
          followed.push(value);
          deps += this.enlist(value, [...ancestors, value]);
        } else {
          item[key] = null;
        }
      } else if (key === "external_references" && value !== null && value !== undefined) {
        item[key] = dedupe(value, externalReferenceKey);
      } else if (key === "kill_chain_phases" && value !== null && value !== undefined) {
        item[key] = dedupe(value, killChainPhaseKey);
      }
    }

    item.nb_deps = deps;
    // A cycle may have re-entered and recorded this object already.
    if (!this.#counted.has(id)) {
      (isComplete(item, id) ? this.kept : this.dropped).push(item);
      this.#counted.set(id, item);
      for (const internalId of internalIds(item)) this.#counted.set(internalId, item);
    }
    return deps;
  }

  /** Whether a ref is kept and followed: pycti's self, cycle, support and consistency checks. */
  #follows(id: string, ref: unknown, ancestors: readonly string[]): ref is string {
    if (typeof ref !== "string" || !isIdSupported(ref)) return false;
    if (this.#cleanup && !this.#byId.has(ref)) return false;
    if (ref === id || ancestors.includes(ref)) return false;
    // Refused when the target already follows this object back.
    return !(this.#followed.get(ref)?.includes(id) ?? false);
  }
}

function isIdSupported(ref: string): boolean {
  // Anything that is not a STIX id (e.g. an internal id) is not filtered.
  if (!ref.includes("--")) return true;
  return SPLITTER_TYPES.has(ref.split("--")[0] ?? "");
}

function isComplete(item: Item, id: string): boolean {
  if (item.type === "relationship") return isPresent(item.source_ref) && isPresent(item.target_ref);
  if (item.type === "sighting") {
    const where = item.where_sighted_refs;
    return isPresent(item.sighting_of_ref) && Array.isArray(where) && where.length > 0;
  }
  return isIdSupported(id);
}

/** Python's `is not None` on a JSON value: absent and null are both "none". */
function isPresent(value: unknown): boolean {
  return value !== null && value !== undefined;
}

function internalIds(item: Item): string[] {
  const ids: string[] = [];
  if (typeof item.x_opencti_id === "string" && item.x_opencti_id !== "") {
    ids.push(item.x_opencti_id);
  }
  const extensions = item.extensions as Record<string, { id?: unknown } | undefined> | undefined;
  const extensionId = extensions?.[OPENCTI_EXTENSION]?.id;
  if (typeof extensionId === "string" && extensionId !== "") ids.push(extensionId);
  return ids;
}

/** Keeps the first entry of each key; entries without a key are dropped (as pycti does). */
function dedupe(value: unknown, keyOf: (entry: unknown) => string | null): unknown[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  return value.filter((entry) => {
    const key = keyOf(entry);
    if (key === null || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** pycti's external-reference id name: `{url}`, else `{source_name, external_id}`, else none. */
function externalReferenceKey(entry: unknown): string | null {
  if (typeof entry !== "object" || entry === null) return null;
  const { url, source_name: sourceName, external_id: externalId } = entry as Record<
    string,
    unknown
  >;
  if (isPresent(url)) return canonicalize({ url });
  if (isPresent(sourceName) && isPresent(externalId)) {
    return canonicalize({ source_name: sourceName, external_id: externalId });
  }
  return null;
}

/** pycti's kill-chain-phase id name: both fields, missing ones as null. */
function killChainPhaseKey(entry: unknown): string | null {
  if (typeof entry !== "object" || entry === null) return null;
  const { kill_chain_name: chain, phase_name: phase } = entry as Record<string, unknown>;
  return canonicalize({ kill_chain_name: chain ?? null, phase_name: phase ?? null });
}
