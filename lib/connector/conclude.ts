/**
 * What happens to a message that did not complete, decided once for both
 * flows from its {@link Failure}: back to the queue (shutdown, a platform or
 * broker outage — a bounded number of times —, or a first unexpected vendor
 * failure), or ended — the work closed with the reason (in error unless a TLP
 * refusal is configured as a message) or, for a playbook, the original bundle
 * handed back so the playbook goes on.
 *
 * @module
 */

import type { MessageContext } from "./context.ts";
import type { Failure } from "./outcome.ts";

/** The end of one delivery. */
export interface Decision {
  disposition: "ack" | "requeue";
  /** Pause before requeueing (none when shutting down). */
  pause: boolean;
}

/** How a message that will not be retried is ended. */
export interface Ending {
  /** The reason, as the work message or log says it. */
  message: string;
  /** True when the work ends in error. */
  inError: boolean;
}

/** Decides between a retry and an ending, counting requeues in the memory. */
export function decide(
  failure: Failure,
  context: MessageContext,
  memoryRequeued: (key: string) => number,
): Decision | Ending {
  const { deps, delivery, key, log } = context;
  switch (failure.kind) {
    case "aborted":
      return { disposition: "requeue", pause: false };
    case "unavailable": {
      const count = memoryRequeued(key);
      if (count <= deps.settings.maxRequeues) {
        log.warning("Platform or broker unavailable; the message goes back to the queue", {
          reason: failure.message,
          attempt: count,
          max_requeues: deps.settings.maxRequeues,
        });
        return { disposition: "requeue", pause: true };
      }
      return {
        message:
          `OpenCTI or the broker could not serve this message after ${count} attempts (CONNECTOR_MAX_REQUEUES=${deps.settings.maxRequeues}): ${failure.message}`,
        inError: true,
      };
    }
    case "failed":
      if (!delivery.redelivered && memoryRequeued(key) === 1) {
        log.warning("Enrichment failed; the message will be retried once", {
          error: failure.error,
        });
        return { disposition: "requeue", pause: true };
      }
      return { message: failure.message, inError: true };
    case "refused":
      return {
        message: failure.message,
        inError: failure.reason === "tlp" && deps.settings.tlpRefusal === "error",
      };
    case "rejected":
      return { message: failure.message, inError: true };
  }
}

/** True when `decision` is an ending. */
export function isEnding(decision: Decision | Ending): decision is Ending {
  return "message" in decision;
}
