/**
 * The resilience scenarios' common ground: publish a stream of enrichment
 * requests (each with its own entity and work), let a fake worker import what
 * the connector pushes, then reconcile: every request is either pushed (its
 * work completed) or its work is marked in error, and none is lost.
 *
 * @module
 */

import assert from "node:assert/strict";
import { scoId } from "../../lib/stix/mod.ts";
import type { FakeOpenCti, FakeWork } from "../fake_opencti/mod.ts";
import { enrichmentMessage } from "./enrichment_message.ts";
import { type FakeWorker, startFakeWorker } from "./fake_worker.ts";
import type { PlatformBroker } from "./platform_queues.ts";

/** One published request. */
export interface Sent {
  workId: string;
  value: string;
}

/** The reconciliation of a stream. */
export interface Reconciliation {
  sent: number;
  /** Works completed, or whose last attempt's bundles were all imported (see {@link delivered}). */
  pushed: number;
  errored: number;
  lost: number;
  /**
   * Works whose data all arrived but which the platform will show "in
   * progress": a message redelivered after a crash mid-publish adds its
   * expectations again, and OpenCTI completes a work only when processed ==
   * expected (a known limit, see the README).
   */
  leftInProgress: number;
  /** The state of the works not settled, for diagnosis. */
  unsettled: unknown[];
}

/** Seeds `count` IPv4 entities and builds their 6.8.9+ messages. */
export function buildStream(
  octi: FakeOpenCti,
  count: number,
  prefix: string,
): Array<Sent & { body: unknown }> {
  return Array.from({ length: count }, (_, index) => {
    const value = `${prefix}.${Math.floor(index / 250)}.${index % 250}`;
    const entity = octi.addEntity({
      standard_id: scoId("ipv4-addr", { value }),
      entity_type: "IPv4-Addr",
      observable_value: value,
    });
    return { value, ...enrichmentMessage(octi, entity, { mode: "auto", trigger: "create" }) };
  });
}

/** Waits until every work is closed (completed, or processed in error), then counts. */
export async function reconcile(
  octi: FakeOpenCti,
  sent: readonly Sent[],
  options: { timeoutMs: number },
): Promise<Reconciliation> {
  const deadline = Date.now() + options.timeoutMs;
  const settled = (workId: string) => {
    const work = octi.work(workId);
    return work !== undefined &&
      (work.status === "complete" || work.errors.length > 0 || delivered(work));
  };
  while (!sent.every((item) => settled(item.workId)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let pushed = 0;
  let errored = 0;
  let leftInProgress = 0;
  const unsettled: unknown[] = [];
  for (const item of sent) {
    const work = octi.work(item.workId)!;
    if (work.errors.length > 0) errored++;
    else if (work.status === "complete") pushed++;
    else if (delivered(work)) {
      pushed++;
      leftInProgress++;
    } else unsettled.push({ value: item.value, ...work });
  }
  return {
    sent: sent.length,
    pushed,
    errored,
    lost: sent.length - pushed - errored,
    leftInProgress,
    unsettled,
  };
}

/**
 * True when a redelivered message's last attempt finished (the work was
 * reported processed after its last batch of expectations) and the worker
 * imported at least that many objects: its whole bundle reached OpenCTI.
 */
function delivered(work: FakeWork): boolean {
  const batches = work.expectationBatches;
  if (batches.length < 2 || work.processedTime === null) return false;
  return work.processed >= batches[batches.length - 1]!;
}

/** What the vendor and the worker saw during a scenario, for its summary line. */
export interface Effort {
  /** Vendor calls made (for the test vendor: one per enrichment). */
  vendorCalls: number;
  /** One-object bundles the worker consumed. */
  bundles: number;
}

/**
 * How many of a fake vendor's recorded requests asked about a value of the
 * stream: the enrichments, without the start-up key probe (another address).
 */
export function vendorCallsFor(
  requests: ReadonlyArray<{ path: string }>,
  sent: ReadonlyArray<{ value: string }>,
): number {
  const values = new Set(sent.map((item) => item.value));
  return requests.filter((request) =>
    request.path.split("/").some((segment) => values.has(decodeURIComponent(segment)))
  ).length;
}

/**
 * Prints the scenario's summary line and asserts nothing was lost. With
 * `effort`, the line also says how many vendor calls and bundles each sent
 * message cost: 1.0 vendor call per message means no enrichment was done twice.
 */
export function report(scenario: string, result: Reconciliation, effort?: Effort): void {
  const per = (count: number) => (count / Math.max(1, result.sent)).toFixed(2);
  // deno-lint-ignore no-console
  console.log(
    `resilience ${scenario}: sent ${result.sent}, pushed ${result.pushed}, errored ${result.errored}, lost ${result.lost}` +
      (effort
        ? `, vendor calls per message ${per(effort.vendorCalls)}, bundles per message ${
          per(effort.bundles)
        }`
        : "") +
      (result.leftInProgress > 0
        ? ` (${result.leftInProgress} redelivered after a crash left their work "in progress")`
        : ""),
  );
  assert.equal(
    result.lost,
    0,
    `${scenario}: ${result.lost} messages lost: ${JSON.stringify(result.unsettled.slice(0, 3))}`,
  );
}

/** Starts the fake worker on the connectors' push queues. */
export function worker(octi: FakeOpenCti, connectorIds: readonly string[]): Promise<FakeWorker> {
  return startFakeWorker(octi, connectorIds);
}

/** Publishes every message body of a stream. */
export async function publishAll(
  platform: PlatformBroker,
  connectorId: string,
  stream: ReadonlyArray<{ body: unknown }>,
  between?: (index: number) => void | Promise<void>,
): Promise<void> {
  for (const [index, item] of stream.entries()) {
    await platform.publishEnrichment(connectorId, item.body);
    await between?.(index);
  }
}
