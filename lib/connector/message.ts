/**
 * Parsing the three message shapes the platform puts on a connector's listen
 * queue (opencti opencti-graphql/src/domain/stixCoreObject.js, enrichment.js and
 * modules/playbook/playbook-components.ts build them): 6.8.9+ manual/auto enrichment (with a
 * string-encoded `stix_entity` and maybe `stix_objects`), 6.8.0–6.8.8 minimal
 * enrichment (ids only), and playbook steps (a bundle object, no event type).
 *
 * Anything else is a {@link MessageError} with a reason a person can act on;
 * the work id is still extracted when possible so the work can be closed.
 *
 * @module
 */

import { z } from "zod";
import { MessageError } from "../errors/mod.ts";

/** Largest message body accepted; the platform's own messages are far smaller. */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** Deepest JSON nesting accepted; real STIX is a handful of levels deep. */
export const MAX_JSON_DEPTH = 64;

/** A STIX object as it arrives (only `type` and `id` are checked here). */
export type IncomingStixObject = { type: string; id: string; [key: string]: unknown };

/** The playbook context echoed back in `playbookStepExecution`. */
export interface PlaybookContext {
  event_id: string;
  execution_id: string;
  playbook_id: string;
  data_instance_id: string;
  step_id: string;
  previous_step_id: string;
}

/** An enrichment request (manual or automatic). */
export interface EnrichmentRequest {
  kind: "enrichment";
  /** The platform's work, or null when there is none. */
  workId: string | null;
  /** Whose request it is; null means the connector's own user. */
  applicantId: string | null;
  /** Draft context of the request. */
  draftId: string | null;
  /** `manual` / `auto` (6.8.9+). */
  mode?: string;
  /** `create` / `update` (6.8.9+). */
  trigger?: string;
  /** Standard id of the entity. */
  entityId: string;
  /** OpenCTI type, e.g. `IPv4-Addr`. */
  entityType: string;
  /** The platform's STIX export of the entity (6.8.9+). */
  stixEntity?: IncomingStixObject;
  /** Objects sent with it when the connector asked for `stix_bundle` resolution. */
  stixObjects?: IncomingStixObject[];
}

/** A playbook "enrich through connector" step. */
export interface PlaybookRequest {
  kind: "playbook";
  applicantId: string | null;
  draftId: string | null;
  /** Id of the element being processed (`data_instance_id`). */
  entityId: string;
  playbook: PlaybookContext;
  /** The bundle object as received, echoed back as `previous_bundle`. */
  bundle: { type: "bundle"; id: string; objects: IncomingStixObject[]; [key: string]: unknown };
}

/** A parsed listen-queue message. */
export type ConnectorRequest = EnrichmentRequest | PlaybookRequest;

const id = z.string().min(1).max(512);
const stixObject = z.looseObject({ type: z.string().min(1).max(256), id: id }) as z.ZodType<
  IncomingStixObject
>;

const internalSchema = z.looseObject({
  work_id: z.string().max(512).nullish(),
  applicant_id: z.string().max(512).nullish(),
  draft_id: z.string().max(512).nullish(),
  mode: z.string().max(64).nullish(),
  trigger: z.string().max(64).nullish(),
  playbook: z.looseObject({
    event_id: id,
    execution_id: id,
    playbook_id: id,
    data_instance_id: id,
    step_id: id,
    previous_step_id: id,
  }).nullish(),
});

const enrichmentEventSchema = z.looseObject({
  event_type: z.string().min(1).max(128),
  entity_id: id,
  entity_type: z.string().min(1).max(128),
  stix_entity: z.string().nullish(),
  stix_objects: z.string().nullish(),
});

const playbookEventSchema = z.looseObject({
  entity_id: id,
  bundle: z.looseObject({
    type: z.literal("bundle"),
    id: id,
    objects: z.array(stixObject).min(1),
  }),
});

const envelopeSchema = z.object({
  internal: internalSchema,
  event: z.looseObject({}),
});

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Parses a message body; throws a {@link MessageError} saying what is wrong. */
export function parseMessage(body: Uint8Array | string): ConnectorRequest {
  const raw = decodeJson(body);
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) throw shapeError("message", envelope.error);
  const { internal, event } = envelope.data;
  const common = {
    applicantId: internal.applicant_id ?? null,
    draftId: internal.draft_id ?? null,
  };
  if (internal.playbook || event.event_type === undefined) {
    if (!internal.playbook) {
      throw new MessageError(
        "Message has neither an event_type nor playbook context: it is not an enrichment request",
      );
    }
    const parsed = playbookEventSchema.safeParse(event);
    if (!parsed.success) throw shapeError("playbook event", parsed.error);
    const { playbook } = internal;
    return {
      kind: "playbook",
      ...common,
      entityId: parsed.data.entity_id,
      playbook: {
        event_id: playbook.event_id,
        execution_id: playbook.execution_id,
        playbook_id: playbook.playbook_id,
        data_instance_id: playbook.data_instance_id,
        step_id: playbook.step_id,
        previous_step_id: playbook.previous_step_id,
      },
      // The bundle as received (zod would reorder keys), echoed back verbatim as previous_bundle.
      bundle: event.bundle as PlaybookRequest["bundle"],
    };
  }
  const parsed = enrichmentEventSchema.safeParse(event);
  if (!parsed.success) throw shapeError("enrichment event", parsed.error);
  const data = parsed.data;
  const request: EnrichmentRequest = {
    kind: "enrichment",
    workId: internal.work_id || null,
    ...common,
    entityId: data.entity_id,
    entityType: data.entity_type,
  };
  if (internal.mode) request.mode = internal.mode;
  if (internal.trigger) request.trigger = internal.trigger;
  if (data.stix_entity) request.stixEntity = parseStixEntity(data.stix_entity);
  if (data.stix_objects) request.stixObjects = parseStixObjects(data.stix_objects);
  return request;
}

/** How much of a message's start is searched for its work id when it cannot be parsed. */
const SALVAGE_BYTES = 64 * 1024;

/**
 * Best effort: the work id of a message that failed to parse (even one too
 * large or too deeply nested to parse), so its work can be closed.
 */
export function salvageWorkId(body: Uint8Array | string): string | null {
  try {
    const raw = decodeJson(body) as { internal?: { work_id?: unknown } };
    const workId = raw?.internal?.work_id;
    return typeof workId === "string" && workId.length > 0 && workId.length <= 512 ? workId : null;
  } catch {
    // Too large, too deep or not JSON: the platform writes `internal` first; look near the start.
    const head = typeof body === "string"
      ? body.slice(0, SALVAGE_BYTES)
      : new TextDecoder().decode(body.subarray(0, SALVAGE_BYTES));
    const match = /"work_id"\s*:\s*"([^"\\]{1,512})"/.exec(head);
    const workId = match?.[1];
    // A JSON string holds no raw control characters; one that does is not a work id.
    return workId !== undefined && !/\p{Cc}/u.test(workId) ? workId : null;
  }
}

function decodeJson(body: Uint8Array | string): unknown {
  const size = typeof body === "string" ? body.length : body.byteLength;
  if (size > MAX_MESSAGE_BYTES) {
    throw new MessageError(
      `Message is ${size} bytes, over the ${MAX_MESSAGE_BYTES}-byte limit for an enrichment request`,
    );
  }
  let text: string;
  try {
    text = typeof body === "string" ? body : decoder.decode(body);
  } catch (error) {
    throw new MessageError("Message body is not valid UTF-8", { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof RangeError ? "nested too deeply" : "not valid JSON";
    throw new MessageError(`Message body is ${reason}`, { cause: error });
  }
  assertShallow(value, "Message body");
  return value;
}

/** Refuses values nested deeper than {@link MAX_JSON_DEPTH}, iteratively (no stack to overflow). */
function assertShallow(value: unknown, what: string): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== "object") continue;
    if (depth > MAX_JSON_DEPTH) {
      throw new MessageError(`${what} is nested too deeply (over ${MAX_JSON_DEPTH} levels)`);
    }
    for (const child of Object.values(item)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
}

/** The JSON text of a message field, parsed and checked for depth. */
function parseJsonField(text: string, field: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MessageError(`Message field ${field} is not valid JSON`, { cause: error });
  }
  assertShallow(value, `Message field ${field}`);
  return value;
}

function parseStixEntity(text: string): IncomingStixObject {
  const value = parseJsonField(text, "event.stix_entity");
  const parsed = stixObject.safeParse(value);
  if (!parsed.success) throw shapeError("event.stix_entity", parsed.error);
  return parsed.data;
}

function parseStixObjects(text: string): IncomingStixObject[] {
  let value = parseJsonField(text, "event.stix_objects");
  // Security-Coverage's resolver sends a whole bundle rather than a list (OpenCTI 6.8.9+).
  if (value && typeof value === "object" && !Array.isArray(value)) {
    value = (value as { objects?: unknown }).objects;
  }
  const parsed = z.array(stixObject).safeParse(value);
  if (!parsed.success) throw shapeError("event.stix_objects", parsed.error);
  return parsed.data;
}

function shapeError(what: string, error: z.ZodError): MessageError {
  const issue = error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.join(".") : "(root)";
  const detail = issue ? `${path}: ${issue.message}` : "unexpected shape";
  return new MessageError(`Message is not a valid ${what}: ${detail}`, { cause: error });
}
