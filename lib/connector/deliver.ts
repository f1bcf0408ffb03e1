/**
 * Sending an enrichment's results and closing its work, written so that a
 * blip of the platform or the broker never repeats the vendor's work: once
 * the bundles are built, each platform call (`addExpectations`, every
 * publish, `toProcessed`) is retried in place with backoff for a bounded
 * time (`delivery_timeout`) instead of handing the message back to the
 * queue. Splitting and expectations follow pycti: one object per bundle, in
 * dependency order, expectations added before publishing.
 *
 * @module
 */

import { retry } from "../async/mod.ts";
import type { Logger } from "../log/mod.ts";
import { createBundle, splitBundle, type StixObject } from "../stix/mod.ts";
import type { RuntimeObserver } from "./observer.ts";
import { attempt, isUnavailable, type Step } from "./outcome.ts";
import type { PlatformPort, PublisherPort } from "./ports.ts";
import { encodePushMessage, type PushContext } from "./push_message.ts";

/** Where and how results are published. */
export interface DeliveryTarget extends PushContext {
  exchange: string;
  routingKey: string;
}

/** What delivering needs. */
export interface DeliverDeps {
  platform: PlatformPort;
  publisher: PublisherPort;
  observer: RuntimeObserver;
  logger: Logger;
  /** How long the calls are retried in place. */
  budgetMs: number;
  signal: AbortSignal;
  /** False = dry run: nothing published. */
  sendToQueue: boolean;
}

/** Retries a platform or broker call while it fails for lack of availability, within the budget. */
export function inPlace<T>(
  what: string,
  call: () => Promise<T>,
  deps: Pick<DeliverDeps, "budgetMs" | "signal" | "logger">,
): Promise<T> {
  return retry(call, {
    maxAttempts: Number.POSITIVE_INFINITY,
    // Pauses grow from 0.5 s (less for a short budget) up to 15 s, until the budget is spent.
    minTimeout: Math.min(500, Math.max(5, deps.budgetMs / 20)),
    maxTimeout: 15_000,
    budgetMs: deps.budgetMs,
    signal: deps.signal,
    isRetriable: (error) => isUnavailable(error, deps.signal),
    onRetry: (error, info) =>
      deps.logger.warning(`${what} failed; retrying in place`, {
        attempt: info.attempt,
        delay_ms: info.delayMs,
        error,
      }),
  });
}

/** Splits and publishes the objects; returns how many one-object bundles were pushed. */
export async function deliver(
  objects: readonly StixObject[],
  target: DeliveryTarget,
  deps: DeliverDeps,
): Promise<Step<number>> {
  const { bundles, expectations } = splitBundle(createBundle(objects));
  if (!deps.sendToQueue) {
    deps.logger.info("send_to_queue is false: bundle not sent", { bundles: bundles.length });
    return { ok: true, value: bundles.length };
  }
  const { workId } = target;
  if (workId) {
    deps.logger.info("Update action expectations", { work_id: workId, expectations });
    const added = await attempt(
      () =>
        inPlace(
          "Adding expectations",
          () => deps.platform.addExpectations(workId, expectations),
          deps,
        ),
      deps.signal,
    );
    if (!added.ok) return added;
  }
  deps.logger.info("Sending bundle to queue", { bundles: bundles.length });
  let pending = bundles.map((bundle, index) => ({ bundle, sequence: index + 1 }));
  const published = await attempt(() =>
    inPlace("Publishing", async () => {
      const results = await Promise.allSettled(pending.map(({ bundle, sequence }) =>
        deps.publisher.publish(
          target.exchange,
          target.routingKey,
          encodePushMessage(bundle, sequence, target),
          { persistent: true, contentEncoding: "utf-8" },
        )
      ));
      const failed = pending.filter((_, index) =>
        results[index]!.status === "rejected"
      );
      deps.observer.bundlesSent(pending.length - failed.length);
      pending = failed;
      const failure = results.find((result) => result.status === "rejected");
      if (failure) throw (failure as PromiseRejectedResult).reason;
    }, deps), deps.signal);
  if (!published.ok && workId && pending.length > 0) {
    // Keep the work's count true: a later delivery adds its own expectations again.
    await deps.platform.addExpectations(workId, -pending.length).catch((error) =>
      deps.logger.warning("Could not take back the expectations of unpublished bundles", { error })
    );
  }
  return published.ok ? { ok: true, value: bundles.length } : published;
}

/** How a work ends: its last message, and whether in error. */
export interface WorkEnding {
  message: string;
  inError: boolean;
}

/** Closes a work, retried in place. */
export function closeWork(
  workId: string,
  { message, inError }: WorkEnding,
  deps: Pick<DeliverDeps, "platform" | "budgetMs" | "signal" | "logger">,
): Promise<Step<unknown>> {
  deps.logger.info("Reporting work update_processed", { work_id: workId, in_error: inError });
  return attempt(
    () =>
      inPlace("Closing the work", () => deps.platform.toProcessed(workId, message, inError), deps),
    deps.signal,
  );
}
