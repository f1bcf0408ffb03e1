/**
 * What each processing step returns: a value, or a {@link Failure} saying
 * why the message cannot go on and what should happen to it. Refusals and
 * errors travel as values; only `failureOf` turns a thrown error into one,
 * once, at the step that caught it.
 *
 * - refused: on purpose (TLP above the max, out of scope); the work is closed
 *   as configured, the message acked;
 * - rejected: retrying cannot help (malformed message, unreadable or
 *   inconsistent entity, markings that cannot be checked, rejected API key,
 *   invalid vendor answer); the work ends in error;
 * - unavailable: the platform or the broker cannot serve the message now;
 *   it goes back to the queue, a bounded number of times;
 * - failed: anything else (vendor down after its own retries, a bug); it
 *   goes back to the queue once, and ends in error on redelivery;
 * - aborted: the runtime is shutting down; back to the queue at once.
 *
 * @module
 */

import { RetryError } from "../async/mod.ts";
import {
  BrokerError,
  errorMessage,
  MessageError,
  OpenCtiError,
  VendorError,
} from "../errors/mod.ts";

/** Why a message did not complete. */
export type Failure =
  | { kind: "refused"; reason: "tlp" | "scope"; message: string }
  | { kind: "rejected"; message: string; error?: unknown }
  | { kind: "unavailable"; message: string; error: unknown }
  | { kind: "failed"; message: string; error: unknown }
  | { kind: "aborted" };

/** A step's result. */
export type Step<T> = { ok: true; value: T } | { ok: false; failure: Failure };

/** A successful step. */
export function ok<T>(value: T): Step<T> {
  return { ok: true, value };
}

/** A failed step. */
export function failed<T = never>(failure: Failure): Step<T> {
  return { ok: false, failure };
}

const PERMANENT_VENDOR_KINDS = new Set([
  "auth",
  "client",
  "not_found",
  "invalid_response",
  "certificate",
]);

/** Classifies a thrown error; `signal` is the runtime's own (aborted = shutting down). */
export function failureOf(error: unknown, signal?: AbortSignal): Failure {
  if (signal?.aborted) return { kind: "aborted" };
  const root = error instanceof RetryError ? error.cause : error;
  const message = errorMessage(error instanceof RetryError ? root : error);
  if (root instanceof BrokerError) {
    return root.transient
      ? { kind: "unavailable", message, error }
      : { kind: "failed", message, error };
  }
  if (root instanceof OpenCtiError) {
    return root.transient
      ? { kind: "unavailable", message, error }
      : { kind: "rejected", message, error };
  }
  if (root instanceof MessageError) return { kind: "rejected", message, error };
  if (root instanceof VendorError && PERMANENT_VENDOR_KINDS.has(root.kind)) {
    return { kind: "rejected", message, error };
  }
  return { kind: "failed", message, error };
}

/** Runs `action` and turns a throw into a {@link Failure}. */
export async function attempt<T>(action: () => Promise<T>, signal?: AbortSignal): Promise<Step<T>> {
  try {
    return ok(await action());
  } catch (error) {
    return failed(failureOf(error, signal));
  }
}

/** True when the failure is the platform or broker being unavailable (worth retrying in place). */
export function isUnavailable(error: unknown, signal?: AbortSignal): boolean {
  return failureOf(error, signal).kind === "unavailable";
}
