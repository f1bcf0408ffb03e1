// Over 300 lines: every processing rule of the orchestrator, one unit test each, against the in-memory ports.
import assert from "node:assert/strict";
import { DEFAULT_ENRICHMENT_LIMITS } from "../config/mod.ts";
import { BrokerError, VendorError, type VendorErrorKind } from "../errors/mod.ts";
import { captureLogger } from "../log/testing.ts";
import { SecretRedactor } from "../log/mod.ts";
import { domainName, ipv4Addr, type StixObject, TLP_MARKING_IDS } from "../stix/mod.ts";
import type { Enricher, EnrichmentContext } from "../vendors/mod.ts";
import { decodePushContent } from "./push_message.ts";
import { NOOP_OBSERVER } from "./observer.ts";
import { MessageProcessor, type ProcessorSettings } from "./processor.ts";
import { enrichmentMessage, memoryDelivery, MemoryPlatform, MemoryPublisher } from "./testing.ts";

/** An enricher that answers every IPv4 with the entity (labelled, scored) and one related domain. */
function testEnricher(options: {
  fail?: () => unknown;
  objects?: (value: string, context: EnrichmentContext) => Promise<StixObject[]>;
} = {}) {
  const calls: string[] = [];
  const enricher: Enricher = {
    async enrich(entity, context) {
      const value = String(entity.stix.value);
      calls.push(value);
      if (options.fail) throw options.fail();
      const objects = options.objects ? await options.objects(value, context) : [
        ipv4Addr(value, {
          score: 42,
          labels: [await context.labels.ensure("malicious", "#ff0000")].filter((l) =>
            l !== undefined
          ),
        }),
        domainName(`resolved-${value.replaceAll(".", "-")}.example`),
      ];
      return {
        objects,
        outcome: "enriched",
        message: ({ pushed }) => `Enriched ${value}: ${pushed} bundles sent`,
      };
    },
    probe: () => Promise.resolve(),
  };
  return { enricher, calls };
}

/** An enricher whose every call fails with a {@link VendorError} of `kind` from vendor "unit". */
function failingEnricher(message: string, kind: VendorErrorKind) {
  return testEnricher({ fail: () => new VendorError(message, { vendor: "unit", kind }) });
}

interface Setup {
  platform: MemoryPlatform;
  publisher: MemoryPublisher;
  processor: MessageProcessor;
  calls: string[];
  logs: ReturnType<typeof captureLogger>;
}

function setup(
  options: {
    settings?: Partial<ProcessorSettings>;
    enricher?: ReturnType<typeof testEnricher>;
    redactor?: SecretRedactor;
  } = {},
): Setup {
  const platform = new MemoryPlatform();
  const publisher = new MemoryPublisher();
  const logs = captureLogger();
  const { enricher, calls } = options.enricher ?? testEnricher();
  const processor = new MessageProcessor({
    instance: {
      id: "c1",
      name: "Unit",
      type: "INTERNAL_ENRICHMENT",
      scope: ["IPv4-Addr", "Domain-Name"],
      auto: false,
      autoUpdate: false,
      enrichmentResolution: "none",
      onlyContextual: false,
      playbookCompatible: true,
      vendor: "unit",
    } as never,
    vendor: { name: "unit", title: "Unit Vendor", supportedTypes: ["IPv4-Addr", "Domain-Name"] },
    enricher,
    maxTlp: "TLP:AMBER",
    push: { exchange: "push", routingKey: "push_routing", connectorUserId: "user-1" },
    platform,
    publisher,
    logger: logs.logger,
    observer: NOOP_OBSERVER,
    ...(options.redactor ? { redactor: options.redactor } : {}),
    settings: {
      tlpRefusal: "error",
      sendToQueue: true,
      requeueDelayMs: 0,
      workPingIntervalMs: 60_000,
      maxRequeues: 3,
      deliveryTimeoutMs: 2_000,
      limits: DEFAULT_ENRICHMENT_LIMITS,
      ...options.settings,
    },
  });
  return { platform, publisher, processor, calls, logs };
}

const signal = new AbortController().signal;

async function handle(s: Setup, body: unknown, options: { redelivered?: boolean } = {}) {
  const delivery = memoryDelivery(body, options);
  const disposition = await s.processor.handle(delivery, signal);
  return { disposition, delivery };
}

function workOf(body: Record<string, unknown>): string {
  return (body.internal as { work_id: string }).work_id;
}

Deno.test("an enrichment asks the vendor once, adds expectations, publishes, closes the work and acks", async () => {
  const s = setup();
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4", { tlp: "TLP:GREEN" });
  const body = enrichmentMessage(s.platform, id);
  const { disposition } = await handle(s, body);
  assert.equal(disposition, "ack");
  assert.deepEqual(s.calls, ["1.2.3.4"]);
  const work = s.platform.work(workOf(body));
  assert.equal(work.received, 1);
  assert.equal(work.expectations, s.publisher.published.length);
  assert.ok(s.publisher.published.length >= 2);
  assert.deepEqual(work.processed, [{
    message: `Enriched 1.2.3.4: ${s.publisher.published.length} bundles sent`,
    inError: false,
  }]);
  const bundle = decodePushContent(JSON.parse(s.publisher.published[0]!.body).content) as {
    objects: StixObject[];
  };
  assert.equal(bundle.objects.length, 1);
});

Deno.test("an entity above the max TLP never reaches the vendor; its work ends in error", async () => {
  const s = setup();
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4", { tlp: "TLP:RED" });
  const body = enrichmentMessage(s.platform, id);
  assert.equal((await handle(s, body)).disposition, "ack");
  assert.deepEqual(s.calls, []);
  const [closed] = s.platform.work(workOf(body)).processed;
  assert.equal(closed!.inError, true);
  assert.match(closed!.message, /TLP \(TLP:RED\) is above the connector's max TLP \(TLP:AMBER\)/);
});

Deno.test("tlp_refusal=message completes the refused work without error", async () => {
  const s = setup({ settings: { tlpRefusal: "message" } });
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4", { tlp: "TLP:RED" });
  const body = enrichmentMessage(s.platform, id);
  await handle(s, body);
  assert.equal(s.platform.work(workOf(body)).processed[0]!.inError, false);
});

Deno.test("a type out of scope is skipped without a vendor call and without error", async () => {
  const s = setup();
  const id = s.platform.seed("Url", "http://x.example/");
  const body = enrichmentMessage(s.platform, id);
  await handle(s, body);
  assert.deepEqual(s.calls, []);
  const [closed] = s.platform.work(workOf(body)).processed;
  assert.equal(closed!.inError, false);
  assert.match(closed!.message, /not in this connector's scope/);
});

Deno.test("a message naming a GREEN entity while carrying a RED entity's stix_entity sends nothing", async () => {
  const s = setup();
  const green = s.platform.seed("IPv4-Addr", "10.0.0.1", { tlp: "TLP:GREEN" });
  const red = s.platform.seed("IPv4-Addr", "10.0.0.66", { tlp: "TLP:RED" });
  const redStix = s.platform.entities.get(red)!.stix;
  const body = enrichmentMessage(s.platform, green, { stixEntity: redStix });
  assert.equal((await handle(s, body)).disposition, "ack");
  assert.deepEqual(s.calls, [], "the RED value never reached the vendor");
  assert.equal(s.publisher.published.length, 0);
  const [closed] = s.platform.work(workOf(body)).processed;
  assert.equal(closed!.inError, true);
  assert.match(closed!.message, /is not the entity .* whose markings were checked/);
});

Deno.test("a stix_entity with the right id but another value sends nothing", async () => {
  const s = setup();
  const id = s.platform.seed("IPv4-Addr", "10.0.0.1");
  const forged = { ...s.platform.entities.get(id)!.stix, value: "10.0.0.66" };
  const body = enrichmentMessage(s.platform, id, { stixEntity: forged });
  await handle(s, body);
  assert.deepEqual(s.calls, []);
  assert.match(s.platform.work(workOf(body)).processed[0]!.message, /differs from the value/);
});

Deno.test("the TLP gate fails closed on markings it cannot read", async (t) => {
  const cases: Array<[string, (s: Setup, id: string) => Record<string, unknown> | undefined]> = [
    ["objectMarking: null", (s, id) => {
      s.platform.entities.get(id)!.read.objectMarking = null as never;
      return undefined;
    }],
    ["a marking without definition_type defined TLP:RED", (s, id) => {
      s.platform.entities.get(id)!.read.objectMarking = [{ definition: "TLP:RED" }];
      return undefined;
    }],
    ["a marking ref that resolves to nothing", (s, id) => ({
      ...s.platform.entities.get(id)!.stix,
      object_marking_refs: ["marking-definition--00000000-0000-4000-8000-000000000000"],
    })],
    ["a RED ref hidden in an extension", (s, id) => ({
      ...s.platform.entities.get(id)!.stix,
      extensions: { "x-ext": { object_marking_refs: [TLP_MARKING_IDS["TLP:RED"]] } },
    })],
  ];
  for (const [name, tamper] of cases) {
    await t.step(name, async () => {
      const s = setup();
      const id = s.platform.seed("IPv4-Addr", "10.1.1.1");
      const stixEntity = tamper(s, id);
      const body = enrichmentMessage(s.platform, id, stixEntity ? { stixEntity } : {});
      await handle(s, body);
      assert.deepEqual(s.calls, [], name);
      assert.equal(s.platform.work(workOf(body)).processed[0]!.inError, true);
    });
  }
});

Deno.test("one 502 on toProcessed is retried in place: one vendor call, one set of bundles", async () => {
  const s = setup();
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  s.platform.failNext("toProcessed", 2);
  const body = enrichmentMessage(s.platform, id);
  assert.equal((await handle(s, body)).disposition, "ack");
  assert.deepEqual(s.calls, ["1.2.3.4"]);
  const work = s.platform.work(workOf(body));
  assert.equal(work.expectations, s.publisher.published.length, "expectations added once");
  assert.equal(work.processed.length, 1);
});

Deno.test("502s on addExpectations and a lost publish are retried in place, each bundle published once", async () => {
  const s = setup();
  const id = s.platform.seed("IPv4-Addr", "1.2.3.5");
  s.platform.failNext("addExpectations", 1);
  s.publisher.failNext(1, () => new BrokerError("connection lost", { transient: true }));
  const body = enrichmentMessage(s.platform, id);
  assert.equal((await handle(s, body)).disposition, "ack");
  assert.deepEqual(s.calls, ["1.2.3.5"]);
  const sequences = s.publisher.published.map((p) => JSON.parse(p.body).action_sequence).sort();
  assert.deepEqual(sequences, [...new Set(sequences)], "no bundle published twice");
  assert.equal(s.platform.work(workOf(body)).expectations, s.publisher.published.length);
});

Deno.test("a redelivered message whose work this process completed is acked without the vendor", async () => {
  const s = setup();
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  const body = enrichmentMessage(s.platform, id);
  await handle(s, body);
  const published = s.publisher.published.length;
  const again = await handle(s, body, { redelivered: true });
  assert.equal(again.disposition, "ack");
  assert.deepEqual(s.calls, ["1.2.3.4"]);
  assert.equal(s.publisher.published.length, published);
  assert.equal(s.platform.work(workOf(body)).processed.length, 1);
});

Deno.test("a copy delivered while the original is in progress waits for it and is not enriched again", async () => {
  const gate = Promise.withResolvers<void>();
  const enricher = testEnricher({
    objects: async (value) => {
      await gate.promise;
      return [ipv4Addr(value, { score: 1 })];
    },
  });
  const s = setup({ enricher });
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  const body = enrichmentMessage(s.platform, id);
  const first = handle(s, body);
  const second = handle(s, body, { redelivered: true });
  await new Promise((resolve) => setTimeout(resolve, 20));
  gate.resolve();
  const results = await Promise.all([first, second]);
  assert.deepEqual(results.map((r) => r.disposition), ["ack", "ack"]);
  assert.deepEqual(enricher.calls, ["1.2.3.4"]);
});

Deno.test("a read the platform cannot serve is requeued max_requeues times, then ends in error", async () => {
  const s = setup({ settings: { maxRequeues: 2 } });
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  s.platform.failNext("readEntity", 100);
  const body = enrichmentMessage(s.platform, id);
  const dispositions = [];
  for (let i = 0; i < 3; i++) {
    dispositions.push((await handle(s, body, { redelivered: i > 0 })).disposition);
  }
  assert.deepEqual(dispositions, ["requeue", "requeue", "ack"]);
  assert.deepEqual(s.calls, []);
  const [closed] = s.platform.work(workOf(body)).processed;
  assert.equal(closed!.inError, true);
  assert.match(
    closed!.message,
    /could not serve this message after 3 attempts \(CONNECTOR_MAX_REQUEUES=2\)/,
  );
});

Deno.test("a vendor outage is retried once, then ends in error on redelivery", async () => {
  const enricher = failingEnricher("Unit Vendor answered HTTP 503", "server");
  const s = setup({ enricher });
  const body = enrichmentMessage(s.platform, s.platform.seed("IPv4-Addr", "1.2.3.4"));
  assert.equal((await handle(s, body)).disposition, "requeue");
  assert.equal((await handle(s, body, { redelivered: true })).disposition, "ack");
  assert.equal(enricher.calls.length, 2);
  assert.equal(s.platform.work(workOf(body)).processed[0]!.inError, true);
});

Deno.test("a refused vendor key ends the work in error at once", async () => {
  const s = setup({ enricher: failingEnricher("Unit Vendor rejected the API key", "auth") });
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  const body = enrichmentMessage(s.platform, id);
  assert.equal((await handle(s, body)).disposition, "ack");
  assert.match(s.platform.work(workOf(body)).processed[0]!.message, /rejected the API key/);
});

Deno.test("unparseable, over-size and over-nested messages with a work id get their work closed in error", async (t) => {
  const bodies: Array<[string, (workId: string) => string]> = [
    ["not JSON", (w) => `{"internal":{"work_id":"${w}"}, "event": {`],
    [
      "over 32 MB",
      (w) => `{"internal":{"work_id":"${w}"},"event":{"x":"${"a".repeat(33 * 1024 * 1024)}"}}`,
    ],
    [
      "nested too deep",
      (w) => `{"internal":{"work_id":"${w}"},"event":${"[".repeat(100)}${"]".repeat(100)}}`,
    ],
  ];
  for (const [name, make] of bodies) {
    await t.step(name, async () => {
      const s = setup();
      const workId = `work_${crypto.randomUUID()}`;
      assert.equal((await handle(s, make(workId))).disposition, "ack");
      const [closed] = s.platform.work(workId).processed;
      assert.equal(closed?.inError, true, name);
      assert.match(closed!.message, /Message/);
    });
  }
});

Deno.test("a shutdown during processing requeues the message without closing its work", async () => {
  const controller = new AbortController();
  const enricher = testEnricher({
    objects: (value, context) =>
      new Promise((_, reject) => {
        context.signal.addEventListener("abort", () => reject(new Error("aborted")));
        void value;
      }),
  });
  const s = setup({ enricher });
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  const body = enrichmentMessage(s.platform, id);
  const pending = s.processor.handle(memoryDelivery(body), controller.signal);
  await new Promise((resolve) => setTimeout(resolve, 10));
  controller.abort(new Error("shutting down"));
  assert.equal(await pending, "requeue");
  assert.equal(s.platform.work(workOf(body)).processed.length, 0);
});

Deno.test("results sent but the work not closable within the budget: requeued, then only closed", async () => {
  const s = setup({ settings: { deliveryTimeoutMs: 50 } });
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  s.platform.failNext("toProcessed", 50);
  const body = enrichmentMessage(s.platform, id);
  assert.equal((await handle(s, body)).disposition, "requeue");
  const published = s.publisher.published.length;
  s.platform.clearFailures("toProcessed");
  assert.equal((await handle(s, body, { redelivered: true })).disposition, "ack");
  assert.deepEqual(s.calls, ["1.2.3.4"], "the vendor was asked once");
  assert.equal(s.publisher.published.length, published, "nothing published again");
  assert.equal(s.platform.work(workOf(body)).processed.length, 1);
});

Deno.test("labels are cleaned and capped; what the limits leave out is said in the work message", async () => {
  const enricher = testEnricher({
    objects: async (value, context) => {
      const labels: string[] = [];
      for (const raw of ["a\n\u0000<b>", "x".repeat(1000), "two", "three", "four"]) {
        const label = await context.labels.ensure(raw, "#000000");
        if (label) labels.push(label);
      }
      context.report({
        kind: "capped",
        subject: "resolutions",
        kept: 5,
        total: 900,
        setting: "CONNECTOR_MAX_RELATED",
      });
      return [ipv4Addr(value, { labels })];
    },
  });
  const s = setup({
    enricher,
    settings: { limits: { ...DEFAULT_ENRICHMENT_LIMITS, maxLabels: 3, maxLabelLength: 16 } },
  });
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  const body = enrichmentMessage(s.platform, id);
  await handle(s, body);
  assert.deepEqual([...s.platform.labels.keys()], ["a <b>", "x".repeat(16), "two"]);
  const message = s.platform.work(workOf(body)).processed[0]!.message;
  assert.match(message, /3 of 5 labels kept \(limit CONNECTOR_MAX_LABELS\)/);
  assert.match(message, /5 of 900 resolutions kept \(limit CONNECTOR_MAX_RELATED\)/);
});

Deno.test("at most max_objects objects and max_incoming_objects incoming objects are sent", async () => {
  const enricher = testEnricher({
    objects: (value) =>
      Promise.resolve(
        Array.from(
          { length: 50 },
          (_, i) => domainName(`d${i}-${value.replaceAll(".", "")}.example`),
        ),
      ),
  });
  const s = setup({
    enricher,
    settings: { limits: { ...DEFAULT_ENRICHMENT_LIMITS, maxObjects: 20, maxIncomingObjects: 3 } },
  });
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  const body = enrichmentMessage(s.platform, id);
  const incoming = Array.from({ length: 10 }, (_, i) => domainName(`incoming${i}.example`));
  (body.event as Record<string, unknown>).stix_objects = JSON.stringify([
    s.platform.entities.get(id)!.stix,
    ...incoming,
  ]);
  await handle(s, body);
  assert.equal(s.publisher.published.length, 20);
  const message = s.platform.work(workOf(body)).processed[0]!.message;
  assert.match(message, /3 of 11 incoming stix_objects kept/);
  assert.match(message, /20 of 53 objects kept \(limit CONNECTOR_MAX_OBJECTS\)/);
});

Deno.test("answers from the vendor cache are said in the work message", async () => {
  const enricher = testEnricher({
    objects: (value, context) => {
      context.answeredFromCache();
      context.answeredFromCache();
      return Promise.resolve([ipv4Addr(value, { score: 3 })]);
    },
  });
  const s = setup({ enricher });
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  const body = enrichmentMessage(s.platform, id);
  await handle(s, body);
  assert.match(
    s.platform.work(workOf(body)).processed[0]!.message,
    /2 vendor answers from the cache/,
  );
});

Deno.test("work messages sent to the platform pass through the redactor", async () => {
  const redactor = new SecretRedactor();
  redactor.add("sekret-api-key-123");
  const enricher = failingEnricher(
    `Denied for key ${encodeURIComponent("sekret-api-key-123")}`,
    "auth",
  );
  const s = setup({ enricher, redactor });
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  const body = enrichmentMessage(s.platform, id);
  await handle(s, body);
  const message = s.platform.work(workOf(body)).processed[0]!.message;
  assert.ok(!message.includes("sekret"), message);
});

Deno.test("a playbook step gets the enriched bundle; a refused element gets the original back", async () => {
  const s = setup();
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  const red = s.platform.seed("IPv4-Addr", "6.6.6.6", { tlp: "TLP:RED" });
  const playbook = (entity: string) => ({
    internal: {
      work_id: null,
      applicant_id: null,
      playbook: {
        event_id: "e",
        execution_id: crypto.randomUUID(),
        playbook_id: "p",
        data_instance_id: entity,
        step_id: "s",
        previous_step_id: "ps",
      },
    },
    event: {
      entity_id: entity,
      bundle: {
        type: "bundle",
        id: `bundle--${crypto.randomUUID()}`,
        objects: [s.platform.entities.get(entity)!.stix],
      },
    },
  });
  await handle(s, playbook(id));
  await handle(s, playbook(red));
  assert.equal(s.platform.playbookAnswers.length, 2);
  const enriched = JSON.parse(s.platform.playbookAnswers[0]!.bundle).objects as StixObject[];
  assert.ok(enriched.length >= 2);
  const refused = s.platform.playbookAnswers[1]!;
  assert.equal(refused.bundle, refused.previous_bundle);
  assert.deepEqual(s.calls, ["1.2.3.4"]);
});

Deno.test("a message without a work id is deduplicated only when the broker redelivers it", async () => {
  const s = setup();
  const id = s.platform.seed("IPv4-Addr", "1.2.3.4");
  const body = enrichmentMessage(s.platform, id, { workId: null });
  await handle(s, body);
  await handle(s, body);
  assert.equal(s.calls.length, 2, "published twice on purpose: two requests");
  await handle(s, body, { redelivered: true });
  assert.equal(s.calls.length, 2, "a redelivery of a completed message is not enriched again");
});
