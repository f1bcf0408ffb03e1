/**
 * The objects one enrichment sends: the incoming objects with the entity
 * updated in place by the vendor's copy of it, then the vendor's new objects
 * (carrying the entity's organization sharing). Bounded: at most
 * `maxIncomingObjects` of the incoming objects are re-published (the entity
 * always is), and at most `maxObjects` in all, keeping every identity and
 * marking definition and dropping relationships whose ends were dropped.
 *
 * @module
 */

import type { EnrichmentLimits } from "../config/mod.ts";
import type { StixObject } from "../stix/mod.ts";
import type { EnrichmentNotice } from "../vendors/mod.ts";
import { mergeEntityUpdate, sharedOrganizations, withGrantedRefs } from "./merge_entity.ts";
import type { ResolvedEntity } from "./resolve.ts";

/** The objects to send, and what the limits left out. */
export interface Assembled {
  objects: StixObject[];
  notices: EnrichmentNotice[];
}

const ALWAYS_KEPT = new Set(["identity", "marking-definition"]);
const REF_ENDS = ["source_ref", "target_ref", "sighting_of_ref"] as const;

/** Builds the objects of the bundle from the entity and the vendor's objects. */
export function assemble(
  entity: ResolvedEntity,
  vendorObjects: readonly StixObject[],
  limits: Pick<EnrichmentLimits, "maxObjects" | "maxIncomingObjects">,
): Assembled {
  const notices: EnrichmentNotice[] = [];
  const update = vendorObjects.find((object) => object.id === entity.stix.id);
  const merged = update ? mergeEntityUpdate(entity.stix, update) as StixObject : entity.stix;
  const others = entity.stixObjects.filter((object) => object.id !== entity.stix.id);
  if (others.length > limits.maxIncomingObjects - 1) {
    notices.push({
      kind: "capped",
      subject: "incoming stix_objects",
      kept: limits.maxIncomingObjects,
      total: others.length + 1,
      setting: "CONNECTOR_MAX_INCOMING_OBJECTS",
    });
  }
  const incoming = [merged, ...others.slice(0, Math.max(0, limits.maxIncomingObjects - 1))];
  const organizations = sharedOrganizations(entity.stix);
  const added = vendorObjects.filter((object) => object.id !== entity.stix.id)
    .map((object) => withGrantedRefs(object, organizations) as StixObject);
  const all = [...incoming, ...added];
  if (all.length <= limits.maxObjects) return { objects: all, notices };
  const kept = capObjects(all, limits.maxObjects);
  notices.push({
    kind: "capped",
    subject: "objects",
    kept: kept.length,
    total: all.length,
    setting: "CONNECTOR_MAX_OBJECTS",
  });
  return { objects: kept, notices };
}

/** Keeps the first object (the entity), identities and markings, then others in order up to `max`. */
function capObjects(objects: readonly StixObject[], max: number): StixObject[] {
  const keep = new Set<StixObject>([objects[0]!]);
  for (const object of objects) {
    if (ALWAYS_KEPT.has(object.type)) keep.add(object);
  }
  const ids = new Set([...keep].map((object) => object.id));
  for (const object of objects) {
    if (keep.size >= max) break;
    if (keep.has(object) || isRelation(object)) continue;
    keep.add(object);
    ids.add(object.id);
  }
  for (const object of objects) {
    if (keep.size >= max) break;
    if (!isRelation(object)) continue;
    const ends = REF_ENDS.map((key) => object[key]).filter((ref) => typeof ref === "string");
    if (ends.every((ref) => ids.has(ref as string))) keep.add(object);
  }
  return objects.filter((object) => keep.has(object));
}

function isRelation(object: StixObject): boolean {
  return object.type === "relationship" || object.type === "sighting";
}
