/**
 * The reads a message needs (the entity with its markings and author, its
 * STIX export) and labels (found by exact value, created when missing, as
 * pycti does), mapped from the platform's field names to ours.
 *
 * @module
 */

import { OpenCtiError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import { EntityAnswer, LabelAddAnswer, LabelsAnswer, StixAnswer } from "./_answers.ts";
import type { Transport } from "./_transport.ts";
import { ADD_LABEL, labelFilter, READ_ENTITY, READ_LABEL, READ_STIX } from "./documents.ts";
import type { EntityRead, RequestContext } from "./types.ts";

/** The entity with its markings and author; null when it does not exist or is not visible. */
export async function readEntity(
  transport: Transport,
  id: string,
  context?: RequestContext,
): Promise<EntityRead | null> {
  const data = await transport.request(READ_ENTITY, { id }, {
    schema: EntityAnswer,
    draftId: context?.draftId,
  });
  const entity = data.stixCoreObject;
  if (!entity) return null;
  return {
    id: entity.id,
    standardId: entity.standard_id,
    entityType: entity.entity_type,
    objectMarking: (entity.objectMarking ?? []).map((marking) => ({
      id: marking.id,
      standardId: marking.standard_id,
      definitionType: marking.definition_type ?? null,
      definition: marking.definition ?? null,
      order: marking.x_opencti_order ?? 0,
      color: marking.x_opencti_color ?? null,
    })),
    createdBy: entity.createdBy
      ? {
        id: entity.createdBy.id,
        standardId: entity.createdBy.standard_id,
        entityType: entity.createdBy.entity_type,
        name: entity.createdBy.name,
        identityClass: entity.createdBy.identity_class,
      }
      : null,
    observableValue: entity.observable_value ?? null,
    score: entity.x_opencti_score ?? null,
  };
}

/** The entity's STIX export, parsed; null when there is none. */
export async function readStix(
  transport: Transport,
  id: string,
  context?: RequestContext,
): Promise<Record<string, unknown> | null> {
  const data = await transport.request(READ_STIX, { id }, {
    schema: StixAnswer,
    draftId: context?.draftId,
  });
  if (data.stix === null || data.stix === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.stix);
  } catch (error) {
    throw new OpenCtiError(`OpenCTI's STIX export of "${id}" is not valid JSON`, {
      kind: "invalid_response",
      cause: error,
    });
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new OpenCtiError(`OpenCTI's STIX export of "${id}" is not a JSON object`, {
      kind: "invalid_response",
    });
  }
  return parsed as Record<string, unknown>;
}

/** Returns the label's value, creating it with `color` when no label has that value. */
export async function findOrCreateLabel(
  transport: Transport,
  logger: Logger,
  label: { value: string; color: string },
): Promise<string> {
  const { value, color } = label;
  const found = await transport.request(READ_LABEL, { filters: labelFilter(value) }, {
    schema: LabelsAnswer,
  });
  const existing = found.labels?.edges[0]?.node.value;
  if (existing) return existing;
  let created;
  try {
    created = await transport.request(ADD_LABEL, { input: { value, color } }, {
      schema: LabelAddAnswer,
    });
  } catch (error) {
    if (error instanceof OpenCtiError && error.kind === "auth") {
      throw new OpenCtiError(
        `Cannot create label "${value}": the connector's user may not create labels (give it the "Manage labels" capability or create the label beforehand)`,
        { kind: "auth", ...(error.code ? { code: error.code } : {}), cause: error },
      );
    }
    throw error;
  }
  if (!created.labelAdd?.value) {
    throw new OpenCtiError(`Cannot create label "${value}": the platform returned no label`, {
      kind: "invalid_response",
    });
  }
  logger.debug("Label created", { label: created.labelAdd.value });
  return created.labelAdd.value;
}
