/**
 * Folding a vendor's re-emitted copy of the enriched entity into the copy
 * the platform sent, so the pushed bundle keeps every platform field (and, in
 * playbooks, what earlier steps changed) while carrying the vendor's score,
 * labels and hashes. Values are written both top-level and into the OpenCTI
 * extensions the entity already has, so whichever the importer reads first is
 * current.
 *
 * @module
 */

import { OPENCTI_EXTENSION, OPENCTI_SCO_EXTENSION } from "../stix/mod.ts";

/** Any STIX object. */
export type StixLike = { type: string; id: string; [key: string]: unknown };
type Extension = Record<string, unknown>;

const IDENTITY_KEYS = new Set(["id", "type", "spec_version"]);
const LABEL_KEYS = new Set(["x_opencti_labels", "labels"]);

/** Returns `incoming` updated with `update`'s properties (labels unioned, objects merged shallowly). */
export function mergeEntityUpdate(incoming: StixLike, update: StixLike): StixLike {
  const merged = structuredClone(incoming) as Record<string, unknown>;
  for (const [key, value] of Object.entries(update)) {
    if (IDENTITY_KEYS.has(key) || value === undefined) continue;
    if (LABEL_KEYS.has(key)) {
      merged[key] = unionStrings(merged[key], value);
    } else if (isPlainObject(value) && isPlainObject(merged[key])) {
      merged[key] = { ...merged[key], ...value };
    } else {
      merged[key] = structuredClone(value);
    }
  }
  const extensions = isPlainObject(merged.extensions) ? merged.extensions : undefined;
  for (const name of [OPENCTI_SCO_EXTENSION, OPENCTI_EXTENSION]) {
    const extension = extensions?.[name];
    if (!isPlainObject(extension)) continue;
    syncExtension(extension, update);
  }
  return merged as StixLike;
}

function syncExtension(extension: Extension, update: StixLike): void {
  if (typeof update.x_opencti_score === "number") extension.score = update.x_opencti_score;
  const labels = update.x_opencti_labels ?? update.labels;
  if (Array.isArray(labels) && labels.length > 0) {
    extension.labels = unionStrings(extension.labels, labels);
  }
  if (typeof update.x_opencti_description === "string") {
    extension.description = update.x_opencti_description;
  }
}

/** Collects the organizations an entity is shared with (pycti's `enrichment_shared_organizations`). */
export function sharedOrganizations(entity: StixLike): string[] {
  const extensions = isPlainObject(entity.extensions) ? entity.extensions : {};
  const candidates = [
    entity.x_opencti_granted_refs,
    (extensions[OPENCTI_EXTENSION] as Extension | undefined)?.granted_refs,
    (extensions[OPENCTI_SCO_EXTENSION] as Extension | undefined)?.granted_refs,
    entity.granted_refs,
  ];
  for (const candidate of candidates) {
    if (Array.isArray(candidate) && candidate.length > 0) {
      return candidate.filter((item): item is string => typeof item === "string");
    }
  }
  return [];
}

/** Shares an object with `organizations`: in its OpenCTI extension when it has one, else top-level. */
export function withGrantedRefs(
  object: StixLike,
  organizations: readonly string[],
): StixLike {
  if (organizations.length === 0) return object;
  const copy = { ...object } as Record<string, unknown>;
  const extensions = isPlainObject(copy.extensions) ? { ...copy.extensions } : undefined;
  const extension = extensions?.[OPENCTI_EXTENSION];
  if (extensions && isPlainObject(extension)) {
    extensions[OPENCTI_EXTENSION] = {
      ...extension,
      granted_refs: unionStrings(extension.granted_refs, organizations),
    };
    copy.extensions = extensions;
  } else {
    copy.x_opencti_granted_refs = unionStrings(copy.x_opencti_granted_refs, organizations);
  }
  return copy as StixLike;
}

function unionStrings(current: unknown, added: unknown): string[] {
  const out: string[] = [];
  for (const list of [current, added]) {
    if (!Array.isArray(list)) continue;
    for (const item of list) if (typeof item === "string" && !out.includes(item)) out.push(item);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
