/**
 * The gate every message passes before any vendor request: the entity's
 * TLP, taken as the highest over every marking the connector can see for it,
 * must not exceed the vendor's max TLP; its type must be in the connector's
 * scope and one the vendor can enrich.
 *
 * The markings seen are the platform's read of the entity, the
 * `object_marking_refs` of the STIX entity the vendor would get (top level
 * and inside its extensions), resolved against the read, the objects that
 * came with the message and the fixed TLP marking ids. The gate fails
 * closed: markings it cannot read (the read answered `objectMarking: null`, a
 * marking without a definition type, a ref that resolves to nothing) refuse
 * the entity with a reason, rather than letting an unknown TLP through.
 *
 * @module
 */

import { isTlpAllowed, parseTlp, TLP_MARKING_IDS, type TlpLevel, tlpRank } from "../stix/mod.ts";
import { isInScope } from "./entity_types.ts";
import type { Failure } from "./outcome.ts";
import type { MarkingRead } from "./ports.ts";

/** Any STIX object. */
type StixLike = { type: string; id: string; [key: string]: unknown };

/** What the gate looks at. */
export interface GateInput {
  /** OpenCTI type of the entity. */
  entityType: string;
  /** The platform's read of the markings: null = answered without them; undefined = no read. */
  readMarkings: readonly MarkingRead[] | null | undefined;
  /** The STIX entity whose value the vendor would get. */
  stix: StixLike;
  /** The objects that came with the message (stix_objects, or the playbook bundle). */
  objects: readonly StixLike[];
}

/** The rules of one connector instance. */
export interface GatePolicy {
  maxTlp: TlpLevel;
  scope: readonly string[];
  vendorTitle: string;
  supportedTypes: readonly string[];
}

const FIXED_TLP = new Map<string, TlpLevel>(
  (Object.entries(TLP_MARKING_IDS) as Array<[TlpLevel, string]>).map(([level, id]) => [id, level]),
);

/** The refusal of an entity, or undefined when it may be sent to the vendor. */
export function gate(input: GateInput, policy: GatePolicy): Failure | undefined {
  const tlp = entityTlp(input);
  if (tlp !== null && typeof tlp === "object") {
    return {
      kind: "rejected",
      message:
        `Entity not sent to ${policy.vendorTitle}: its TLP cannot be checked (${tlp.problem})`,
    };
  }
  if (!isTlpAllowed(tlp, policy.maxTlp)) {
    const shown = tlp === "unknown" ? "an unknown TLP" : tlp;
    return {
      kind: "refused",
      reason: "tlp",
      message:
        `Entity not sent to ${policy.vendorTitle}: its TLP (${shown}) is above the connector's max TLP (${policy.maxTlp})`,
    };
  }
  if (!isInScope(input.entityType, policy.scope)) {
    return {
      kind: "refused",
      reason: "scope",
      message: `Entity type ${input.entityType} is not in this connector's scope (${
        policy.scope.join(", ")
      })`,
    };
  }
  if (!isInScope(input.entityType, policy.supportedTypes)) {
    return {
      kind: "refused",
      reason: "scope",
      message: `${policy.vendorTitle} cannot enrich ${input.entityType} (supported: ${
        policy.supportedTypes.join(", ")
      })`,
    };
  }
  return undefined;
}

/**
 * The highest TLP over every visible marking: a level, `"unknown"` (a TLP
 * marking with an unreadable level, stricter than RED), null (no TLP marking
 * at all), or the problem that keeps it from being known.
 */
export function entityTlp(input: GateInput): TlpLevel | "unknown" | null | { problem: string } {
  if (input.readMarkings === null) {
    return { problem: "the platform answered the entity read without its markings" };
  }
  const markings: MarkingRead[] = [...(input.readMarkings ?? [])];
  const refs = markingRefs(input.stix);
  if (typeof refs === "string") return { problem: refs };
  const objects = new Map<string, StixLike>();
  for (const object of input.objects) {
    if (object.type === "marking-definition") objects.set(object.id, object);
  }
  for (const ref of refs) {
    const fixed = FIXED_TLP.get(ref);
    if (fixed) {
      markings.push({ definitionType: "TLP", definition: fixed });
      continue;
    }
    const read = input.readMarkings?.find((marking) => marking.standardId === ref);
    if (read) continue; // already counted
    const object = objects.get(ref);
    if (!object) return { problem: `the marking "${shorten(ref)}" cannot be resolved` };
    markings.push(markingOfObject(object));
  }
  let highest: TlpLevel | "unknown" | null = null;
  for (const marking of markings) {
    const level = tlpOf(marking);
    if (level !== null && typeof level === "object") return level;
    if (level !== null && (highest === null || tlpRank(level) > tlpRank(highest))) highest = level;
  }
  return highest;
}

/** A marking's TLP: a level, null for a non-TLP marking, or why it cannot be read. */
function tlpOf(marking: MarkingRead): TlpLevel | "unknown" | null | { problem: string } {
  const type = typeof marking.definitionType === "string" ? marking.definitionType.trim() : "";
  const definition = typeof marking.definition === "string" ? marking.definition.trim() : "";
  if (type === "") {
    return {
      problem: `a marking${definition ? ` ("${shorten(definition)}")` : ""} has no definition type`,
    };
  }
  if (type.toLowerCase() === "tlp") return parseTlp(definition);
  // A marking typed otherwise that still names a TLP level is read as that level.
  return /^TLP:/i.test(definition) ? parseTlp(definition) : null;
}

/** The TLP reading of a marking-definition object of a bundle (OpenCTI or plain STIX shape). */
function markingOfObject(object: StixLike): MarkingRead {
  const octiType = stringOf(object.x_opencti_definition_type);
  if (octiType) {
    return { definitionType: octiType, definition: stringOf(object.x_opencti_definition) };
  }
  const type = stringOf(object.definition_type);
  const definition = object.definition as Record<string, unknown> | undefined;
  if (type?.toLowerCase() === "tlp") {
    const level = stringOf(definition?.tlp);
    return { definitionType: "TLP", definition: level ? `TLP:${level}` : null };
  }
  return { definitionType: type, definition: stringOf(object.name) };
}

/** Every marking ref of the entity, top level and in its extensions; a text when they are malformed. */
function markingRefs(stix: StixLike): string[] | string {
  const refs: string[] = [];
  const sources: unknown[] = [stix.object_marking_refs];
  if (stix.extensions && typeof stix.extensions === "object") {
    for (const extension of Object.values(stix.extensions as Record<string, unknown>)) {
      if (extension && typeof extension === "object") {
        sources.push((extension as Record<string, unknown>).object_marking_refs);
      }
    }
  }
  for (const source of sources) {
    if (source === undefined || source === null) continue;
    if (!Array.isArray(source)) return "the entity's object_marking_refs is not a list";
    for (const ref of source) {
      if (typeof ref !== "string") return "the entity's object_marking_refs holds a non-string";
      if (!refs.includes(ref)) refs.push(ref);
    }
  }
  return refs;
}

function stringOf(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
