/**
 * Processing one listen-queue message for one connector instance: parse it,
 * resolve the entity, gate it (TLP, then scope) before any vendor call, ask
 * the vendor, assemble and split the bundle as pycti does, add expectations,
 * publish with confirms, close the work — and only then ack.
 *
 * Failures are classified (see `failure.ts`) so that nothing is lost: a
 * message is either pushed, or its work is marked in error, or it goes back
 * to the queue.
 *
 * @module
 */

import { type ConnectorInstanceConfig, DEFAULT_ENRICHMENT_LIMITS } from "../config/mod.ts";
import { errorMessage, MessageError, RefusedError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import {
  createBundle,
  highestTlp,
  isTlpAllowed,
  splitBundle,
  type StixObject,
  type TlpLevel,
} from "../stix/mod.ts";
import type { Enricher, EnrichmentResult, VendorModule } from "../vendors/mod.ts";
import { isInScope, openCtiTypeOf } from "./entity_types.ts";
import { classifyFailure } from "./failure.ts";
import { markingsFromBundle } from "./markings.ts";
import { mergeEntityUpdate, sharedOrganizations, withGrantedRefs } from "./merge_entity.ts";
import {
  type ConnectorRequest,
  type EnrichmentRequest,
  parseMessage,
  type PlaybookRequest,
  salvageWorkId,
} from "./message.ts";
import type { EnrichmentOutcome, RuntimeObserver } from "./observer.ts";
import type { Delivery, MarkingRead, PlatformPort, PublisherPort } from "./ports.ts";
import { buildPushMessage } from "./push_message.ts";

/** Where a connector instance publishes, from its registration. */
export interface PushTarget {
  /** The push exchange (`amqp.worker.exchange`). */
  exchange: string;
  /** The push routing key (`push_routing_<id>`). */
  routingKey: string;
  /** Applicant of pushed bundles when the message names none (`connector_user_id`). */
  connectorUserId: string;
}

/** Settings of a {@link MessageProcessor}. */
export interface ProcessorSettings {
  /** TLP refusals end the work in error, or complete it with a message. */
  tlpRefusal: "error" | "message";
  /** False = dry run: nothing published, no work updates. */
  sendToQueue: boolean;
  /** Pause before handing a message back to the queue. */
  requeueDelayMs: number;
  /** Interval of work pings while a message is processed (pycti: about 5 min). */
  workPingIntervalMs: number;
}

/** Everything a {@link MessageProcessor} works with. */
export interface ProcessorDeps {
  instance: ConnectorInstanceConfig;
  vendor: VendorModule;
  enricher: Enricher;
  maxTlp: TlpLevel;
  push: PushTarget;
  platform: PlatformPort;
  publisher: PublisherPort;
  logger: Logger;
  observer: RuntimeObserver;
  settings: ProcessorSettings;
  /** Clock; default the system clock. */
  now?: () => Date;
}

/** How a message ended: acked, or handed back to the queue. */
export type Disposition = "ack" | "requeue";

interface Outcome {
  disposition: Disposition;
  outcome: EnrichmentOutcome;
}

interface ResolvedEntity {
  entityType: string;
  standardId: string;
  stix: StixObject;
  stixObjects: StixObject[];
  markings: readonly MarkingRead[];
}

const RECEIVED_MESSAGE = "Connector ready to process the operation";

/** Processes the messages of one connector instance. */
export class MessageProcessor {
  readonly #deps: ProcessorDeps;
  readonly #now: () => Date;

  /** Builds a processor. */
  constructor(deps: ProcessorDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  /**
   * Processes one delivery and acks or requeues it. Never throws: every
   * failure is logged and ends in a disposition. `signal` aborts the work
   * (shutdown deadline); the message then goes back to the queue.
   */
  async handle(delivery: Delivery, signal: AbortSignal): Promise<Disposition> {
    const { observer, vendor, logger } = this.#deps;
    const started = performance.now();
    observer.messageStarted(vendor.name);
    let result: Outcome;
    try {
      result = await this.#process(delivery, signal);
    } catch (error) {
      // #process handles its own failures; reaching here is a bug, so keep the message.
      logger.error("Unexpected failure while processing a message; it goes back to the queue", {
        error,
      });
      result = { disposition: "requeue", outcome: "error" };
    }
    if (result.disposition === "requeue") {
      observer.messageRequeued(vendor.name);
      if (!signal.aborted) await sleep(this.#deps.settings.requeueDelayMs, signal);
      await settle(delivery.nack({ requeue: true }), logger, "nack");
    } else {
      observer.messageFinished(vendor.name, result.outcome, (performance.now() - started) / 1000);
      if (result.outcome === "error") observer.error();
      await settle(delivery.ack(), logger, "ack");
      logger.debug("Message ack", { outcome: result.outcome });
    }
    return result.disposition;
  }

  async #process(delivery: Delivery, signal: AbortSignal): Promise<Outcome> {
    let request: ConnectorRequest;
    try {
      request = parseMessage(delivery.body);
    } catch (error) {
      return await this.#reject(delivery, error);
    }
    return request.kind === "playbook"
      ? await this.#processPlaybook(request, delivery, signal)
      : await this.#processEnrichment(request, delivery, signal);
  }

  /** A message that cannot be parsed: logged with the reason, its work (if found) closed in error, acked. */
  async #reject(delivery: Delivery, error: unknown): Promise<Outcome> {
    const reason = errorMessage(error);
    const workId = this.#deps.settings.sendToQueue ? salvageWorkId(delivery.body) : null;
    this.#deps.logger.error("Message rejected", {
      reason,
      work_id: workId,
      redelivered: delivery.redelivered,
    });
    if (workId) {
      const closed = await this.#closeWork(workId, `Message rejected: ${reason}`, true);
      if (!closed) return { disposition: "requeue", outcome: "error" };
    }
    return { disposition: "ack", outcome: "error" };
  }

  async #processEnrichment(
    request: EnrichmentRequest,
    delivery: Delivery,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const { platform, logger, settings } = this.#deps;
    const workId = settings.sendToQueue ? request.workId : null;
    const log = logger.named(this.#deps.instance.name);
    let stopPing: (() => void) | undefined;
    try {
      if (workId) log.info("Reporting work update_received", { work_id: workId });
      // The entity read does not depend on the work's state: both round trips run at once,
      // and both settle before anything else happens to the work.
      const [received, resolved] = await Promise.allSettled([
        workId ? platform.toReceived(workId, RECEIVED_MESSAGE) : undefined,
        this.#resolveEntity(request),
      ]);
      if (received.status === "rejected") throw received.reason;
      if (workId) stopPing = this.#startWorkPing(workId);
      if (resolved.status === "rejected") throw resolved.reason;
      const entity = resolved.value;
      this.#gate(entity);
      log.info("Processing entity", {
        entity_id: entity.standardId,
        entity_type: entity.entityType,
        work_id: workId,
      });
      const result = await this.#enrich(entity, signal, log);
      const pushed = result.objects.length > 0
        ? await this.#send(request, workId, entity, result.objects)
        : 0;
      const message = typeof result.message === "function"
        ? result.message({ pushed })
        : result.message;
      if (workId) {
        log.info("Reporting work update_processed", { work_id: workId });
        await platform.toProcessed(workId, message, false);
      }
      return { disposition: "ack", outcome: result.outcome };
    } catch (error) {
      return await this.#fail(error, { workId, delivery, signal, log });
    } finally {
      stopPing?.();
    }
  }

  async #processPlaybook(
    request: PlaybookRequest,
    delivery: Delivery,
    signal: AbortSignal,
  ): Promise<Outcome> {
    const { platform, logger } = this.#deps;
    const log = logger.named(this.#deps.instance.name);
    const original = request.bundle;
    const executionStart = this.#now().toISOString();
    const answer = async (bundle: unknown) => {
      await platform.playbookStepExecution({
        ...request.playbook,
        execution_start: executionStart,
        previous_bundle: JSON.stringify(original),
        bundle: JSON.stringify(bundle),
      });
    };
    let outcome: EnrichmentOutcome = "error";
    let bundle: unknown = original;
    try {
      const entityStix = original.objects.find((object) => object.id === request.entityId);
      if (!entityStix) {
        throw new MessageError(
          `Playbook bundle does not contain the element "${request.entityId}" to enrich`,
        );
      }
      const read = await platform.readEntity(request.entityId, { draftId: request.draftId });
      const entity: ResolvedEntity = {
        entityType: read?.entityType ?? openCtiTypeOf(entityStix),
        standardId: request.entityId,
        stix: entityStix,
        stixObjects: original.objects,
        markings: read?.objectMarking ?? markingsFromBundle(entityStix, original.objects),
      };
      this.#gate(entity);
      const result = await this.#enrich(entity, signal, log);
      bundle = createBundle(this.#assemble(entity, result.objects));
      outcome = result.outcome;
    } catch (error) {
      const failure = classifyFailure(error, signal.aborted);
      if (failure === "infrastructure") {
        log.warning("Platform or broker unavailable; the playbook message goes back to the queue", {
          error,
        });
        return { disposition: "requeue", outcome: "error" };
      }
      if (error instanceof RefusedError) {
        outcome = error.reason === "tlp" ? "refused_tlp" : "skipped_scope";
        log.info("Playbook entity not enriched; the bundle continues unchanged", {
          reason: error.message,
        });
      } else {
        // Without an answer the playbook branch would stall; let it continue without enrichment.
        log.error("Playbook enrichment failed; the bundle continues unchanged", {
          error,
          redelivered: delivery.redelivered,
        });
      }
      bundle = original;
    }
    try {
      await answer(bundle);
    } catch (error) {
      if (classifyFailure(error, signal.aborted) === "infrastructure") {
        log.warning("Cannot answer the playbook now; the message goes back to the queue", {
          error,
        });
        return { disposition: "requeue", outcome };
      }
      log.error("The platform refused the playbook step result", { error });
      return { disposition: "ack", outcome: "error" };
    }
    return { disposition: "ack", outcome };
  }

  async #resolveEntity(request: EnrichmentRequest): Promise<ResolvedEntity> {
    const { platform } = this.#deps;
    const context = { draftId: request.draftId };
    const read = await platform.readEntity(request.entityId, context);
    if (!read) {
      throw new MessageError(
        `Cannot read entity "${request.entityId}": it does not exist or the connector's user cannot see it (check the user's permissions and max markings)`,
      );
    }
    const stix = request.stixEntity ??
      await platform.readStix(request.entityId, context) as StixObject | null;
    if (!stix || typeof stix.id !== "string" || typeof stix.type !== "string") {
      throw new MessageError(`The platform has no STIX export of entity "${request.entityId}"`);
    }
    const stixObjects = request.stixObjects && request.stixObjects.length > 0
      ? request.stixObjects
      : [stix];
    return {
      entityType: request.entityType || read.entityType,
      standardId: read.standardId || request.entityId,
      stix,
      stixObjects,
      markings: read.objectMarking,
    };
  }

  /** TLP first (no vendor call for an entity above the max), then scope. */
  #gate(entity: ResolvedEntity): void {
    const { instance, vendor, maxTlp } = this.#deps;
    const tlp = highestTlp(
      entity.markings.map((marking) => ({
        definition_type: marking.definitionType ?? null,
        definition: marking.definition ?? null,
      })),
    );
    if (!isTlpAllowed(tlp, maxTlp)) {
      const shown = tlp === "unknown" ? "an unknown TLP" : tlp;
      throw new RefusedError(
        `Entity not sent to ${vendor.title}: its TLP (${shown}) is above the connector's max TLP (${maxTlp})`,
        { reason: "tlp" },
      );
    }
    if (!isInScope(entity.entityType, instance.scope)) {
      throw new RefusedError(
        `Entity type ${entity.entityType} is not in this connector's scope (${
          instance.scope.join(", ")
        })`,
        { reason: "scope" },
      );
    }
    if (!isInScope(entity.entityType, vendor.supportedTypes)) {
      throw new RefusedError(
        `${vendor.title} cannot enrich ${entity.entityType} (supported: ${
          vendor.supportedTypes.join(", ")
        })`,
        { reason: "scope" },
      );
    }
  }

  async #enrich(
    entity: ResolvedEntity,
    signal: AbortSignal,
    logger: Logger,
  ): Promise<EnrichmentResult> {
    const { enricher, platform } = this.#deps;
    return await enricher.enrich(
      { entityType: entity.entityType, standardId: entity.standardId, stix: entity.stix },
      {
        signal,
        logger,
        now: this.#now(),
        labels: { ensure: (value, color) => platform.ensureLabel(value, color) },
        limits: DEFAULT_ENRICHMENT_LIMITS,
        answeredFromCache: () => {},
        report: (notice) => logger.warning("Left out of the enrichment", { ...notice }),
      },
    );
  }

  /** The incoming objects with the entity updated in place, then the vendor's new objects. */
  #assemble(entity: ResolvedEntity, vendorObjects: readonly StixObject[]): StixObject[] {
    const update = vendorObjects.find((object) => object.id === entity.stix.id);
    const merged = update ? mergeEntityUpdate(entity.stix, update) as StixObject : entity.stix;
    const incoming = entity.stixObjects.some((object) => object.id === entity.stix.id)
      ? entity.stixObjects.map((object) => object.id === entity.stix.id ? merged : object)
      : [merged, ...entity.stixObjects];
    const added = vendorObjects.filter((object) => object.id !== entity.stix.id);
    const organizations = sharedOrganizations(entity.stix);
    return [...incoming, ...added.map((object) => withGrantedRefs(object, organizations))];
  }

  /** Splits and publishes; returns the number of one-object bundles pushed. */
  async #send(
    request: EnrichmentRequest,
    workId: string | null,
    entity: ResolvedEntity,
    vendorObjects: readonly StixObject[],
  ): Promise<number> {
    const { platform, publisher, push, settings, observer, logger } = this.#deps;
    const { bundles, expectations } = splitBundle(
      createBundle(this.#assemble(entity, vendorObjects)),
    );
    if (!settings.sendToQueue) {
      logger.info("send_to_queue is false: bundle not sent", { bundles: bundles.length });
      return bundles.length;
    }
    if (workId) {
      logger.info("Update action expectations", { work_id: workId, expectations });
      await platform.addExpectations(workId, expectations);
    }
    const context = {
      applicantId: request.applicantId ?? push.connectorUserId,
      workId,
      draftId: request.draftId,
    };
    logger.info(`${this.#deps.instance.name} sending bundle to queue`, {
      bundles: bundles.length,
    });
    const results = await Promise.allSettled(bundles.map((bundle, index) =>
      publisher.publish(
        push.exchange,
        push.routingKey,
        JSON.stringify(buildPushMessage(bundle, index + 1, context)),
        { persistent: true, contentEncoding: "utf-8" },
      )
    ));
    const failures = results.filter((result) => result.status === "rejected");
    observer.bundlesSent(bundles.length - failures.length);
    if (failures.length > 0) {
      if (workId) {
        // Keep the work's count true so a retry can still complete it.
        await platform.addExpectations(workId, -failures.length).catch((error) =>
          logger.warning("Could not take back the expectations of unpublished bundles", { error })
        );
      }
      throw (failures[0] as PromiseRejectedResult).reason;
    }
    return bundles.length;
  }

  async #fail(
    error: unknown,
    where: { workId: string | null; delivery: Delivery; signal: AbortSignal; log: Logger },
  ): Promise<Outcome> {
    const { workId, delivery, signal, log } = where;
    const failure = classifyFailure(error, signal.aborted);
    const message = errorMessage(error);
    switch (failure) {
      case "infrastructure":
        log.warning("Platform or broker unavailable; the message goes back to the queue", {
          error,
          work_id: workId,
        });
        return { disposition: "requeue", outcome: "error" };
      case "refused": {
        const reason = (error as RefusedError).reason;
        const inError = reason === "tlp" && this.#deps.settings.tlpRefusal === "error";
        log.info("Entity not enriched", { reason: message, work_id: workId });
        const outcome = reason === "tlp" ? "refused_tlp" : "skipped_scope";
        if (workId && !await this.#closeWork(workId, message, inError)) {
          return { disposition: "requeue", outcome };
        }
        return { disposition: "ack", outcome };
      }
      case "retryable":
        if (!delivery.redelivered) {
          log.warning("Enrichment failed; the message will be retried once", {
            error,
            work_id: workId,
          });
          return { disposition: "requeue", outcome: "error" };
        }
        break;
      case "permanent":
        break;
    }
    log.error("Error in message processing, reporting error to API", {
      error,
      work_id: workId,
      redelivered: delivery.redelivered,
    });
    if (workId && !await this.#closeWork(workId, message, true)) {
      return { disposition: "requeue", outcome: "error" };
    }
    return { disposition: "ack", outcome: "error" };
  }

  /** Marks a work processed; false when the platform is unavailable (the caller then requeues). */
  async #closeWork(workId: string, message: string, inError: boolean): Promise<boolean> {
    try {
      await this.#deps.platform.toProcessed(workId, message, inError);
      return true;
    } catch (error) {
      if (classifyFailure(error) === "infrastructure") return false;
      this.#deps.logger.error("The platform refused the work update", { error, work_id: workId });
      return true;
    }
  }

  #startWorkPing(workId: string): () => void {
    const { platform, logger, settings } = this.#deps;
    const timer = setInterval(() => {
      platform.pingWork(workId).catch((error) =>
        logger.warning("Error pinging the work", { error, work_id: workId })
      );
    }, settings.workPingIntervalMs);
    return () => clearInterval(timer);
  }
}

async function settle(action: Promise<unknown>, logger: Logger, what: string): Promise<void> {
  try {
    await action;
  } catch (error) {
    // The channel died with the connection; the broker redelivers the message.
    logger.warning(`Could not ${what} the message; the broker will redeliver it`, { error });
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
