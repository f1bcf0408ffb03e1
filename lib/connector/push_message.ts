/**
 * The AMQP message that carries one split bundle to the platform's worker
 * (client-python pycti/connector/opencti_connector_helper.py, `send_stix2_bundle`):
 * pycti's `QUEUE_BUNDLE` envelope with the bundle
 * JSON in standard base64.
 *
 * {@link encodePushMessage} writes the published bytes directly: the bundle's
 * JSON is encoded to UTF-8 into a reused scratch buffer and base64-encoded
 * straight into the body, between the envelope's other (ASCII) fields. Building the
 * envelope object and JSON-stringifying it instead makes a UTF-8 copy, a
 * base64 string, a second copy of it inside the envelope text and, in the
 * AMQP client, the bytes of that text: about four times the body in garbage,
 * for every object of every enrichment.
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

const encoder = new TextEncoder();
const BASE64_ALPHABET = encoder.encode(
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
);
const PAD = 0x3d; // "="
// Every code point below 0x80, control characters included: ASCII text is its own UTF-8.
// deno-lint-ignore no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
/** Bundle JSON up to this many UTF-8 bytes is encoded in the reused scratch buffer. */
const SCRATCH_LIMIT = 1 << 20;
let scratch = new Uint8Array(64 * 1024);

/**
 * The UTF-8 JSON bytes of {@link buildPushMessage}'s envelope, what is
 * published: byte for byte `JSON.stringify` of it (same keys, same order).
 */
export function encodePushMessage(
  bundle: unknown,
  sequence: number,
  context: PushContext,
): Uint8Array {
  const head = `{"bundle_type":"QUEUE_BUNDLE","applicant_id":${
    JSON.stringify(context.applicantId)
  },"action_sequence":${JSON.stringify(sequence)},"entities_types":[],"content":"`;
  const workId = context.workId === null ? "" : `,"work_id":${JSON.stringify(context.workId)}`;
  const tail = `","update":true,"draft_id":${JSON.stringify(context.draftId)}${workId}}`;
  if (!ASCII.test(head) || !ASCII.test(tail)) {
    // Ids outside ASCII never come from the platform; the plain way is enough for them.
    return encoder.encode(JSON.stringify(buildPushMessage(bundle, sequence, context)));
  }
  const json = utf8(JSON.stringify(bundle));
  const contentLength = Math.ceil(json.length / 3) * 4;
  const body = new Uint8Array(head.length + contentLength + tail.length);
  writeAscii(head, body, 0);
  writeBase64(json, body, head.length);
  writeAscii(tail, body, head.length + contentLength);
  return body;
}

/** The UTF-8 bytes of `text`: a view of the scratch buffer, valid until the next call. */
function utf8(text: string): Uint8Array {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  const needed = text.length * 3;
  if (needed > SCRATCH_LIMIT) return encoder.encode(text);
  if (scratch.length < needed) scratch = new Uint8Array(Math.max(needed, scratch.length * 2));
  return scratch.subarray(0, encoder.encodeInto(text, scratch).written);
}

function writeAscii(text: string, out: Uint8Array, offset: number): void {
  for (let index = 0; index < text.length; index++) out[offset + index] = text.charCodeAt(index);
}

/** Writes the padded standard base64 (RFC 4648 §4) of `bytes` into `out` at `offset`. */
function writeBase64(bytes: Uint8Array, out: Uint8Array, offset: number): void {
  let at = offset;
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const triple = (bytes[index]! << 16) | (bytes[index + 1]! << 8) | bytes[index + 2]!;
    out[at++] = BASE64_ALPHABET[triple >> 18]!;
    out[at++] = BASE64_ALPHABET[(triple >> 12) & 63]!;
    out[at++] = BASE64_ALPHABET[(triple >> 6) & 63]!;
    out[at++] = BASE64_ALPHABET[triple & 63]!;
  }
  const left = bytes.length - index;
  if (left === 0) return;
  const triple = (bytes[index]! << 16) | (left === 2 ? bytes[index + 1]! << 8 : 0);
  out[at++] = BASE64_ALPHABET[triple >> 18]!;
  out[at++] = BASE64_ALPHABET[(triple >> 12) & 63]!;
  out[at++] = left === 2 ? BASE64_ALPHABET[(triple >> 6) & 63]! : PAD;
  out[at] = PAD;
}

/** Decodes an envelope's `content` back to the bundle (the worker's view; used by tests and the sandbox). */
export function decodePushContent(content: string): unknown {
  return JSON.parse(Buffer.from(content, "base64").toString("utf-8"));
}
