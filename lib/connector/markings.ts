/**
 * The markings of an entity known only from a bundle (a playbook element the
 * platform cannot read yet): each `object_marking_refs` entry resolved to a
 * marking-definition object of the bundle, or to one of the fixed TLP ids.
 *
 * @module
 */

import { TLP_MARKING_IDS } from "../stix/mod.ts";
import type { MarkingRead } from "./ports.ts";

type StixLike = { type: string; id: string; [key: string]: unknown };

/** Resolves the entity's marking refs against the bundle and the fixed TLP ids. */
export function markingsFromBundle(
  entity: StixLike,
  objects: readonly StixLike[],
): MarkingRead[] {
  const refs = Array.isArray(entity.object_marking_refs) ? entity.object_marking_refs : [];
  const byId = new Map(objects.map((object) => [object.id, object]));
  const fixed = new Map<string, string>(
    Object.entries(TLP_MARKING_IDS).map(([tlp, id]) => [id, tlp]),
  );
  const markings: MarkingRead[] = [];
  for (const ref of refs) {
    if (typeof ref !== "string") continue;
    const object = byId.get(ref);
    if (object) {
      markings.push({
        definitionType: stringOf(object.x_opencti_definition_type) ??
          stringOf(object.definition_type),
        definition: stringOf(object.x_opencti_definition) ?? stringOf(object.name),
      });
      continue;
    }
    const tlp = fixed.get(ref);
    if (tlp) markings.push({ definitionType: "TLP", definition: tlp });
  }
  return markings;
}

function stringOf(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}
