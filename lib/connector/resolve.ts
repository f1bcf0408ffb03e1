/**
 * Resolving the entity a message names into what the gate checks and what
 * the vendor sees — one entity. The platform's read (type, standard id,
 * value, markings) is the truth; the STIX entity the vendor gets (the
 * message's `stix_entity`, the platform's `stix(id)` export, or the playbook
 * bundle's element) must be that same entity: same standard id, same value.
 * A message naming one entity while carrying another's STIX would otherwise
 * have the markings of the first checked and the value of the second sent.
 *
 * @module
 */

import type { StixObject } from "../stix/mod.ts";
import { openCtiTypeOf } from "./entity_types.ts";
import type { EnrichmentRequest, PlaybookRequest } from "./message.ts";
import { failed, ok, type Step } from "./outcome.ts";
import type { EntityRead, MarkingRead, PlatformPort } from "./ports.ts";

/** The entity of one message, as the gate and the vendor see it. */
export interface ResolvedEntity {
  /** OpenCTI type (the platform's, when it could read the entity). */
  entityType: string;
  /** STIX standard id. */
  standardId: string;
  /** The STIX entity the vendor gets. */
  stix: StixObject;
  /** The objects that came with the message (the entity among them or not). */
  stixObjects: readonly StixObject[];
  /** The platform's markings of the entity: null = answered without them; undefined = no read. */
  readMarkings: readonly MarkingRead[] | null | undefined;
}

/** Reads an enrichment request's entity and checks that its STIX is the entity read. */
export async function resolveEnrichment(
  request: EnrichmentRequest,
  platform: PlatformPort,
): Promise<Step<ResolvedEntity>> {
  const context = { draftId: request.draftId };
  const read = await platform.readEntity(request.entityId, context);
  if (!read) {
    return failed({
      kind: "rejected",
      message:
        `Cannot read entity "${request.entityId}": it does not exist or the connector's user cannot see it (check the user's permissions and max markings)`,
    });
  }
  const stix = request.stixEntity ??
    await platform.readStix(request.entityId, context) as StixObject | null;
  if (!stix || typeof stix.id !== "string" || typeof stix.type !== "string") {
    return failed({
      kind: "rejected",
      message: `The platform has no STIX export of entity "${request.entityId}"`,
    });
  }
  const mismatch = mismatchOf(read, stix, request.entityId);
  if (mismatch) return failed({ kind: "rejected", message: mismatch });
  return ok({
    entityType: read.entityType || request.entityType,
    standardId: read.standardId || request.entityId,
    stix,
    stixObjects: request.stixObjects && request.stixObjects.length > 0
      ? request.stixObjects
      : [stix],
    readMarkings: read.objectMarking,
  });
}

/** Finds a playbook step's element in its bundle and reads its markings from the platform when it can. */
export async function resolvePlaybook(
  request: PlaybookRequest,
  platform: PlatformPort,
): Promise<Step<ResolvedEntity>> {
  const objects = request.bundle.objects as StixObject[];
  const stix = objects.find((object) => object.id === request.entityId);
  if (!stix) {
    return failed({
      kind: "rejected",
      message: `Playbook bundle does not contain the element "${request.entityId}" to enrich`,
    });
  }
  const read = await platform.readEntity(request.entityId, { draftId: request.draftId });
  if (read) {
    const mismatch = mismatchOf(read, stix, request.entityId);
    if (mismatch) return failed({ kind: "rejected", message: mismatch });
  }
  return ok({
    entityType: read?.entityType || openCtiTypeOf(stix),
    standardId: request.entityId,
    stix,
    stixObjects: objects,
    readMarkings: read ? read.objectMarking : undefined,
  });
}

/** Why `stix` is not the entity the platform read, or undefined when it is. */
function mismatchOf(read: EntityRead, stix: StixObject, requested: string): string | undefined {
  const ids = new Set([read.standardId, requested].filter((id) => id));
  if (!ids.has(stix.id)) {
    return `The STIX entity sent with the message ("${
      shorten(stix.id)
    }") is not the entity "${requested}" whose markings were checked; nothing was sent to the vendor`;
  }
  const value = typeof stix.value === "string" ? stix.value : undefined;
  const readValue = read.observableValue ?? undefined;
  if (value !== undefined && readValue && normalise(value) !== normalise(readValue)) {
    return `The STIX entity's value ("${
      shorten(value)
    }") differs from the value the platform holds for "${requested}" ("${
      shorten(readValue)
    }"); nothing was sent to the vendor`;
  }
  return undefined;
}

function normalise(value: string): string {
  return value.trim().toLowerCase();
}

function shorten(text: string): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}]/gu, "?");
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}
