/**
 * The two ways through a message, over the shared steps (resolve → gate →
 * vendor → assemble → deliver): an enrichment request ends by closing its
 * work; a playbook step ends by handing a bundle back to the playbook — the
 * enriched one, or the original when the element was not enriched, so the
 * playbook never stalls.
 *
 * @module
 */

import { createBundle, type StixObject } from "../stix/mod.ts";
import type { EnrichmentNotice } from "../vendors/mod.ts";
import { assemble } from "./assemble.ts";
import type { Ending } from "./conclude.ts";
import type { MessageContext } from "./context.ts";
import { closeWork, deliver, inPlace } from "./deliver.ts";
import { gate } from "./gate.ts";
import type { EnrichmentRequest, PlaybookRequest } from "./message.ts";
import type { EnrichmentOutcome } from "./observer.ts";
import { attempt, failed, ok, type Step } from "./outcome.ts";
import { type ResolvedEntity, resolveEnrichment, resolvePlaybook } from "./resolve.ts";
import { callVendor, describeNotice } from "./vendor_call.ts";

/** A flow's successful run: how it ended and what it hands over. */
export interface Done {
  outcome: EnrichmentOutcome;
  ending: Ending;
  /** For playbooks: the bundle to hand back. */
  answer?: unknown;
}

/** One way through a message. */
export interface Flow {
  /** Runs the steps up to (not including) closing. */
  run(): Promise<Step<Done>>;
  /** Closes the work, or answers the playbook, with `ending` (and `done`'s answer when given). */
  finish(ending: Ending, done?: Done): Promise<Step<unknown>>;
}

const RECEIVED_MESSAGE = "Connector ready to process the operation";

/** Resolve, gate, ask the vendor and send the results of an enrichment request. */
export function enrichmentFlow(request: EnrichmentRequest, context: MessageContext): Flow {
  const { deps, signal, log } = context;
  const workId = deps.settings.sendToQueue ? request.workId : null;
  const delivery = {
    ...deps.settings,
    budgetMs: deps.settings.deliveryTimeoutMs,
    signal,
    logger: log,
  };
  return {
    async run() {
      if (workId) log.info("Reporting work update_received", { work_id: workId });
      // The entity read does not depend on the work's state: both round trips run at once.
      const [received, resolved] = await Promise.all([
        workId ? attempt(() => deps.platform.toReceived(workId, RECEIVED_MESSAGE), signal) : ok(0),
        attempt(() => resolveEnrichment(request, deps.platform), signal),
      ]);
      if (!received.ok) return received;
      if (!resolved.ok) return resolved;
      if (!resolved.value.ok) return resolved.value;
      const stopPing = workId ? startWorkPing(workId, context) : () => {};
      try {
        return await enrich(
          resolved.value.value,
          context,
          { keepIncoming: false },
          async (objects) => {
            const push = deps.push;
            return await deliver(objects, {
              exchange: push.exchange,
              routingKey: push.routingKey,
              applicantId: request.applicantId ?? push.connectorUserId,
              workId,
              draftId: request.draftId,
            }, {
              ...delivery,
              platform: deps.platform,
              publisher: deps.publisher,
              observer: deps.observer,
            });
          },
        );
      } finally {
        stopPing();
      }
    },
    finish(ending) {
      if (!workId) return Promise.resolve(ok(undefined));
      const message = deps.redactor ? deps.redactor.redact(ending.message) : ending.message;
      return closeWork(workId, { message: clip(message), inError: ending.inError }, {
        ...delivery,
        platform: deps.platform,
      });
    },
  };
}

/** Resolve, gate and ask the vendor for a playbook element; the bundle goes back to the playbook. */
export function playbookFlow(request: PlaybookRequest, context: MessageContext): Flow {
  const { deps, signal, log } = context;
  const executionStart = (deps.now?.() ?? new Date()).toISOString();
  return {
    async run() {
      const resolved = await attempt(() => resolvePlaybook(request, deps.platform), signal);
      if (!resolved.ok) return resolved;
      if (!resolved.value.ok) return resolved.value;
      const entity = resolved.value.value;
      let answer: unknown = request.bundle;
      const done = await enrich(entity, context, { keepIncoming: true }, (objects) => {
        answer = createBundle(objects);
        return Promise.resolve(ok(objects.length));
      });
      return done.ok ? ok({ ...done.value, answer }) : done;
    },
    finish(ending, done) {
      if (!done) {
        log.info("Playbook element not enriched; the bundle continues unchanged", {
          reason: ending.message,
        });
      }
      const bundle = done?.answer ?? request.bundle;
      return attempt(
        () =>
          inPlace("Answering the playbook", () =>
            deps.platform.playbookStepExecution({
              ...request.playbook,
              execution_start: executionStart,
              previous_bundle: JSON.stringify(request.bundle),
              bundle: JSON.stringify(bundle),
            }), { budgetMs: deps.settings.deliveryTimeoutMs, signal, logger: log }),
        signal,
      );
    },
  };
}

/**
 * Gate, vendor, assemble, then `send`; the work message quotes what was sent
 * and left out. A playbook keeps every incoming object (`keepIncoming`): the
 * bundle it gets back is the data of its next steps.
 */
async function enrich(
  entity: ResolvedEntity,
  context: MessageContext,
  options: { keepIncoming: boolean },
  send: (objects: StixObject[]) => Promise<Step<number>>,
): Promise<Step<Done>> {
  const { deps, signal, log } = context;
  const refusal = gate({
    entityType: entity.entityType,
    readMarkings: entity.readMarkings,
    stix: entity.stix,
    objects: entity.stixObjects,
  }, {
    maxTlp: deps.maxTlp,
    scope: deps.instance.scope,
    vendorTitle: deps.vendor.title,
    supportedTypes: deps.vendor.supportedTypes,
  });
  if (refusal) return failed(refusal);
  log.info("Processing entity", { entity_id: entity.standardId, entity_type: entity.entityType });
  const called = await callVendor(entity, {
    enricher: deps.enricher,
    platform: deps.platform,
    limits: deps.settings.limits,
    logger: log,
    signal,
    now: deps.now?.() ?? new Date(),
  });
  if (!called.ok) return called;
  const { result, cachedAnswers } = called.value;
  const notices: EnrichmentNotice[] = [...called.value.notices];
  let pushed = 0;
  if (result.objects.length > 0) {
    const { limits } = deps.settings;
    const assembled = assemble(entity, result.objects, {
      maxObjects: options.keepIncoming ? Number.POSITIVE_INFINITY : limits.maxObjects,
      maxIncomingObjects: options.keepIncoming
        ? Number.POSITIVE_INFINITY
        : limits.maxIncomingObjects,
    });
    notices.push(...assembled.notices);
    const sent = await send(assembled.objects);
    if (!sent.ok) return sent;
    pushed = sent.value;
  }
  for (const notice of notices) {
    log.warning("Left out of the enrichment", { notice: describeNotice(notice) });
  }
  const base = typeof result.message === "function" ? result.message({ pushed }) : result.message;
  const extras = [
    ...notices.map(describeNotice),
    ...(cachedAnswers > 0
      ? [`${cachedAnswers} vendor answer${cachedAnswers === 1 ? "" : "s"} from the cache`]
      : []),
  ];
  const message = extras.length > 0 ? `${base} (${extras.join("; ")})` : base;
  return ok({ outcome: result.outcome, ending: { message, inError: false } });
}

function startWorkPing(workId: string, context: MessageContext): () => void {
  const { deps, log } = context;
  const timer = setInterval(() => {
    deps.platform.pingWork(workId).catch((error) =>
      log.warning("Error pinging the work", { error, work_id: workId })
    );
  }, deps.settings.workPingIntervalMs);
  return () => clearInterval(timer);
}

/** Work messages stay readable in the platform's UI. */
const MAX_WORK_MESSAGE = 4000;

function clip(message: string): string {
  return message.length > MAX_WORK_MESSAGE ? `${message.slice(0, MAX_WORK_MESSAGE)}…` : message;
}
