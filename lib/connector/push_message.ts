/**
 * The AMQP message that carries one split bundle to the platform's worker
 * (client-python pycti/connector/opencti_connector_helper.py, `send_stix2_bundle`):
 * pycti's `QUEUE_BUNDLE` envelope with the bundle
 * JSON in standard base64.
 *
 * @module
 */

import { Buffer } from "node:buffer";

/** The envelope fields the worker reads. */
export interface PushMessage {
  bundle_type: "QUEUE_BUNDLE";
  applicant_id: string | null;
  action_sequence: number;
  entities_types: string[];
  content: string;
  update: boolean;
  draft_id: string | null;
  work_id?: string;
}

/** What varies between the messages of one send. */
export interface PushContext {
  /** The requester, else the connector's user. */
  applicantId: string | null;
  /** The message's work; omitted from the envelope when null. */
  workId: string | null;
  /** The message's draft. */
  draftId: string | null;
}

/** Builds the envelope of the `sequence`-th (1-based) bundle of a send. */
export function buildPushMessage(
  bundle: unknown,
  sequence: number,
  context: PushContext,
): PushMessage {
  const message: PushMessage = {
    bundle_type: "QUEUE_BUNDLE",
    applicant_id: context.applicantId,
    action_sequence: sequence,
    entities_types: [],
    content: Buffer.from(JSON.stringify(bundle), "utf-8").toString("base64"),
    update: true,
    draft_id: context.draftId,
  };
  if (context.workId !== null) message.work_id = context.workId;
  return message;
}

/** Decodes an envelope's `content` back to the bundle (the worker's view; used by tests and the sandbox). */
export function decodePushContent(content: string): unknown {
  return JSON.parse(Buffer.from(content, "base64").toString("utf-8"));
}
