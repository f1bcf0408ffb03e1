/**
 * What to do when processing a message fails. The rules behind "nothing is
 * lost and a poison message never loops":
 *
 * - infrastructure: the platform or the broker is unavailable; the message is
 *   requeued (after a pause) however often it happened, because its work
 *   cannot be updated now and nothing about the message itself is wrong;
 * - refused: TLP above the maximum or out of scope; the work is closed as
 *   configured, the message acked;
 * - permanent: retrying cannot help (malformed message, unreadable entity,
 *   rejected API key, invalid vendor answer); the work is marked in error;
 * - retryable: anything else (vendor down after its own retries, unexpected
 *   exceptions); requeued once, and marked in error when it fails again on
 *   redelivery.
 *
 * @module
 */

import {
  BrokerError,
  MessageError,
  OpenCtiError,
  RefusedError,
  VendorError,
} from "../errors/mod.ts";

/** The class of a processing failure. */
export type FailureClass = "infrastructure" | "refused" | "permanent" | "retryable";

const PERMANENT_VENDOR_KINDS = new Set(["auth", "client", "not_found", "invalid_response"]);

/** Classifies a failure; `aborted` is true when the runtime itself cancelled the work (shutdown). */
export function classifyFailure(error: unknown, aborted = false): FailureClass {
  if (aborted) return "infrastructure";
  if (error instanceof RefusedError) return "refused";
  if (error instanceof BrokerError) return error.transient ? "infrastructure" : "retryable";
  if (error instanceof OpenCtiError) return error.transient ? "infrastructure" : "permanent";
  if (error instanceof MessageError) return "permanent";
  if (error instanceof VendorError) {
    return PERMANENT_VENDOR_KINDS.has(error.kind) ? "permanent" : "retryable";
  }
  return "retryable";
}
