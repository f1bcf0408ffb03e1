/**
 * Processing one listen-queue message for one connector instance, as a short
 * orchestrator over the steps in `flows.ts`: parse, recall what this process
 * already did for the message, run the flow, then end it — close the work (or
 * answer the playbook) and ack, or hand the message back to the queue.
 *
 * Nothing is lost and nothing is done twice without need: a message is
 * either completed, or its work is closed in error with the reason, or it
 * goes back to the queue (a bounded number of times); work already done is
 * remembered, so a redelivered copy is acked without calling the vendor.
 *
 * @module
 */

import { delay } from "../async/mod.ts";
import type { Logger } from "../log/mod.ts";
import { decide, type Ending, isEnding } from "./conclude.ts";
import type { MessageContext, ProcessorDeps } from "./context.ts";
import { enrichmentFlow, type Flow, playbookFlow } from "./flows.ts";
import { bodyDigest, WorkMemory } from "./memory.ts";
import { type ConnectorRequest, parseMessage, salvageWorkId } from "./message.ts";
import type { EnrichmentOutcome } from "./observer.ts";
import { type Failure, failureOf, ok } from "./outcome.ts";
import type { Delivery } from "./ports.ts";

export type { ProcessorDeps, ProcessorSettings, PushTarget } from "./context.ts";

/** How a message ended: acked, or handed back to the queue. */
export type Disposition = "ack" | "requeue";

/** Processes the messages of one connector instance. */
export class MessageProcessor {
  readonly #deps: ProcessorDeps;
  readonly #memory: WorkMemory;
  readonly #log: Logger;

  /** Builds a processor. */
  constructor(deps: ProcessorDeps) {
    this.#deps = deps;
    this.#memory = deps.memory ?? new WorkMemory();
    this.#log = deps.logger.named(deps.instance.name);
  }

  /**
   * Processes one delivery and acks or requeues it. Never throws: every
   * failure is logged and ends in a disposition. `signal` aborts the work
   * (shutdown deadline); the message then goes back to the queue.
   */
  async handle(delivery: Delivery, signal: AbortSignal): Promise<Disposition> {
    const { observer, vendor } = this.#deps;
    const started = performance.now();
    observer.messageStarted(vendor.name);
    let end: { disposition: Disposition; outcome: EnrichmentOutcome; pause?: boolean };
    try {
      end = await this.#process(delivery, signal);
    } catch (error) {
      // Every step returns its failures; reaching here is a bug, so keep the message.
      this.#log.error("Unexpected failure while processing a message; it goes back to the queue", {
        error,
      });
      end = { disposition: "requeue", outcome: "error", pause: true };
    }
    if (end.disposition === "requeue") {
      observer.messageRequeued(vendor.name);
      if (end.pause && !signal.aborted) {
        await delay(this.#deps.settings.requeueDelayMs, { signal }).catch(() => {});
      }
      await settle(delivery.nack({ requeue: true }), this.#log, "nack");
    } else {
      observer.messageFinished(vendor.name, end.outcome, (performance.now() - started) / 1000);
      if (end.outcome === "error") observer.error();
      await settle(delivery.ack(), this.#log, "ack");
    }
    return end.disposition;
  }

  async #process(delivery: Delivery, signal: AbortSignal) {
    let request: ConnectorRequest | undefined;
    let rejection: Failure | undefined;
    try {
      request = parseMessage(delivery.body);
    } catch (error) {
      rejection = failureOf(error);
    }
    const key = keyOf(request, delivery.body);
    const salvaged = request ? null : salvageWorkId(delivery.body);
    const context: MessageContext = { deps: this.#deps, delivery, signal, key, log: this.#log };
    const flow = request
      ? request.kind === "playbook"
        ? playbookFlow(request, context)
        : enrichmentFlow(request, context)
      : rejectedFlow(salvaged, context);
    const release = await this.#memory.begin(key);
    try {
      // A body with no work id is only known by its bytes: the same bytes published again on
      // purpose are a new request; only a redelivery of them is the same message.
      const remembered = key.startsWith("body:") && !delivery.redelivered
        ? undefined
        : this.#memory.recall(key);
      if (remembered?.state === "completed") {
        this.#log.info(
          "Message already completed by this process; acked without calling the vendor",
          {
            key,
            redelivered: delivery.redelivered,
          },
        );
        return { disposition: "ack" as const, outcome: "duplicate" as const };
      }
      if (remembered?.state === "close_pending") {
        this.#log.info("Results already sent; only closing the work", { key });
        return await this.#end(flow, context, remembered, "enriched");
      }
      if (rejection) return await this.#reject(flow, context, rejection, salvaged);
      const run = await flow.run();
      if (run.ok) {
        return await this.#end(flow, context, run.value.ending, run.value.outcome, run.value);
      }
      const decision = decide(run.failure, context, (k) => this.#memory.requeued(k));
      if (!isEnding(decision)) return { ...decision, outcome: "error" as const };
      this.#logEnding(run.failure, decision, delivery);
      return await this.#end(flow, context, decision, outcomeOf(run.failure));
    } finally {
      release();
    }
  }

  /** Closes the work (or answers the playbook); remembers what is left when that fails. */
  async #end(
    flow: Flow,
    context: MessageContext,
    ending: Ending,
    outcome: EnrichmentOutcome,
    done?: Parameters<Flow["finish"]>[1],
  ) {
    const finished = await flow.finish(ending, done);
    if (!finished.ok) {
      const { failure } = finished;
      if (failure.kind === "aborted" || failure.kind === "unavailable") {
        this.#memory.remember(context.key, { state: "close_pending", ...ending });
        this.#log.warning("Cannot close the work now; the message goes back to the queue", {
          reason: failure.kind === "unavailable" ? failure.message : "shutting down",
        });
        return { disposition: "requeue" as const, outcome, pause: failure.kind !== "aborted" };
      }
      this.#log.error("The platform refused the work update", { reason: failure.message });
    }
    this.#memory.remember(context.key, { state: "completed" });
    return { disposition: "ack" as const, outcome };
  }

  /** A message that cannot be parsed: logged with the reason, its work (if found) closed in error. */
  #reject(flow: Flow, context: MessageContext, failure: Failure, workId: string | null) {
    const reason = failure.kind === "rejected" ? failure.message : "unreadable message";
    this.#log.error("Message rejected", {
      reason,
      work_id: workId,
      redelivered: context.delivery.redelivered,
    });
    return this.#end(
      flow,
      context,
      { message: `Message rejected: ${reason}`, inError: true },
      "error",
    );
  }

  #logEnding(failure: Failure, ending: Ending, delivery: Delivery): void {
    if (failure.kind === "refused") {
      this.#log.info("Entity not enriched", { reason: ending.message });
      return;
    }
    this.#log.error("Error in message processing, reporting error to API", {
      reason: ending.message,
      ...("error" in failure && failure.error !== undefined ? { error: failure.error } : {}),
      redelivered: delivery.redelivered,
    });
  }
}

/** A message that could not be parsed: only its work (when one can be found) is closed. */
function rejectedFlow(workId: string | null, context: MessageContext): Flow {
  const enrichment = enrichmentFlow({
    kind: "enrichment",
    workId,
    applicantId: null,
    draftId: null,
    entityId: "",
    entityType: "",
  }, context);
  return { run: () => Promise.resolve(ok(undefined as never)), finish: enrichment.finish };
}

function keyOf(request: ConnectorRequest | undefined, body: Uint8Array): string {
  if (request?.kind === "enrichment" && request.workId) return `work:${request.workId}`;
  if (request?.kind === "playbook") {
    const { execution_id, step_id } = request.playbook;
    return `playbook:${execution_id}:${step_id}:${request.entityId}`;
  }
  return `body:${bodyDigest(body)}`;
}

function outcomeOf(failure: Failure): EnrichmentOutcome {
  if (failure.kind !== "refused") return "error";
  return failure.reason === "tlp" ? "refused_tlp" : "skipped_scope";
}

async function settle(action: Promise<unknown>, logger: Logger, what: string): Promise<void> {
  try {
    await action;
  } catch (error) {
    // The channel died with the connection; the broker redelivers the message.
    logger.warning(`Could not ${what} the message; the broker will redeliver it`, { error });
  }
}
