import assert from "node:assert/strict";
import { scoId } from "../../lib/stix/mod.ts";
import { startHarness } from "../support/harness.ts";
import { startTcpProxy } from "../support/tcp_proxy.ts";
import {
  createTestVendor,
  type TestVendorControl,
  testVendorControl,
} from "../support/test_vendor.ts";

const YAML = {
  connector: {
    vendor: "testvendor",
    name: "Failures",
    scope: "IPv4-Addr,Domain-Name",
    concurrency: 4,
  },
  testvendor: { api_key: "test-vendor-key-1234", max_tlp: "TLP:AMBER" },
};

/** The connector on the test vendor; `fail` and `failTimes` set how its vendor calls fail. */
async function harness(
  options: {
    yaml?: Record<string, unknown>;
    platformVersion?: string;
    fail?: TestVendorControl["fail"];
    failTimes?: number;
  } = {},
) {
  const control = testVendorControl();
  const h = await startHarness({
    vendors: [createTestVendor(control)],
    yaml: options.yaml ?? YAML,
    ...(options.platformVersion ? { platformVersion: options.platformVersion } : {}),
  });
  control.fail = options.fail;
  control.failTimes = options.failTimes;
  return { h, control };
}

function ip(value: string) {
  return { standardId: scoId("ipv4-addr", { value }) };
}

Deno.test("an entity above the max TLP makes no vendor call and its work ends in error", async () => {
  const { h, control } = await harness();
  await using _ = h;
  const entity = h.seed("IPv4-Addr", "10.0.0.1", { ...ip("10.0.0.1"), tlp: "TLP:RED" });
  const workId = await h.publishAndWaitForWork(entity);
  assert.deepEqual(control.calls, []);
  const work = h.octi.work(workId)!;
  assert.match(
    work.errors[0]!.message,
    /TLP \(TLP:RED\) is above the connector's max TLP \(TLP:AMBER\)/,
  );
  assert.equal(work.expectations, 0);
  // The outcome is counted once the message is settled, just after the work closes.
  await h.waitFor(
    () => h.metrics.enrichments.value({ vendor: "testvendor", outcome: "refused_tlp" }) === 1,
    "the refusal to be counted",
  );
});

Deno.test("tlp_refusal: message completes the work without error", async () => {
  const { h, control } = await harness({
    yaml: { ...YAML, connector: { ...YAML.connector, tlp_refusal: "message" } },
  });
  await using _ = h;
  const entity = h.seed("IPv4-Addr", "10.0.0.2", { ...ip("10.0.0.2"), tlp: "TLP:AMBER+STRICT" });
  const workId = await h.publishAndWaitForWork(entity);
  assert.deepEqual(control.calls, []);
  assert.equal(h.octi.work(workId)!.errors.length, 0);
  assert.match(h.octi.work(workId)!.messages.at(-1)!.message, /above the connector's max TLP/);
});

Deno.test("an entity type outside the scope completes its work with a message and no vendor call", async () => {
  const { h, control } = await harness();
  await using _ = h;
  const entity = h.seed("Url", "http://x.example/a", {
    standardId: scoId("url", { value: "http://x.example/a" }),
  });
  const workId = await h.publishAndWaitForWork(entity);
  assert.deepEqual(control.calls, []);
  assert.match(
    h.octi.work(workId)!.messages.at(-1)!.message,
    /Url is not in this connector's scope/,
  );
  assert.equal(h.octi.work(workId)!.errors.length, 0);
});

Deno.test("malformed messages are acked with a logged reason; a salvageable work is closed in error", async () => {
  const { h, control } = await harness();
  await using _ = h;
  h.octi.createWork("work_broken_1");
  await h.publishRaw("{not json");
  await h.publishRaw(
    JSON.stringify({ internal: { work_id: "work_broken_1" }, event: { event_type: 5 } }),
  );
  const unknown = h.message(
    {
      standard_id: "ipv4-addr--00000000-0000-5000-8000-000000000000",
      entity_type: "IPv4-Addr",
    } as never,
  );
  await h.publish(unknown.body);
  await h.waitFor(
    () => h.metrics.enrichments.value({ vendor: "testvendor", outcome: "error" }) === 3,
    "3 errors",
  );
  assert.deepEqual(control.calls, []);
  assert.match(
    h.octi.work("work_broken_1")!.errors[0]!.message,
    /Message rejected: Message is not a valid enrichment event: event_type/,
  );
  assert.match(
    h.octi.work(unknown.workId!)!.errors[0]!.message,
    /Cannot read entity .*check the user's permissions/,
  );
  const rejected = h.logs.records().filter((r) => r.message === "Message rejected");
  assert.deepEqual(rejected.map((r) => r.attributes?.reason), [
    "Message body is not valid JSON",
    "Message is not a valid enrichment event: event_type: Invalid input: expected string, received number",
  ]);
  assert.equal(
    await h.platform.depth(`listen_${h.connectorIds[0]}`),
    0,
    "nothing left in the queue",
  );
});

Deno.test("a vendor exception is retried once; failing again on redelivery, the work ends in error (no loop)", async () => {
  const { h, control } = await harness({ fail: "exception" });
  await using _ = h;
  const entity = h.seed("IPv4-Addr", "10.0.0.3", ip("10.0.0.3"));
  const workId = await h.publishAndWaitForWork(entity);
  assert.equal(control.calls.length, 2, "first delivery and one redelivery");
  assert.match(h.octi.work(workId)!.errors[0]!.message, /Test vendor mapping bug/);
  assert.equal(h.metrics.messagesRequeued.value({ vendor: "testvendor" }), 1);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(control.calls.length, 2, "never a third time");
});

Deno.test("a vendor outage that ends before the redelivery is enriched normally", async () => {
  const { h } = await harness({ fail: "server", failTimes: 1 });
  await using _ = h;
  const entity = h.seed("IPv4-Addr", "10.0.0.4", ip("10.0.0.4"));
  const { body, workId } = h.message(entity);
  await h.publish(body);
  const pushed = await h.readPush(4);
  assert.equal(pushed.length, 4);
  await h.waitFor(() => h.octi.work(workId!)?.processedTime !== null, "the work to close");
  assert.equal(h.octi.work(workId!)!.errors.length, 0);
});

Deno.test("a rejected vendor key is not retried: the work ends in error at once", async () => {
  const { h, control } = await harness({ fail: "auth" });
  await using _ = h;
  const entity = h.seed("IPv4-Addr", "10.0.0.5", ip("10.0.0.5"));
  const workId = await h.publishAndWaitForWork(entity);
  assert.equal(control.calls.length, 1);
  assert.match(h.octi.work(workId)!.errors[0]!.message, /Test vendor failed \(auth\)/);
});

Deno.test("no data from the vendor completes the work without pushing anything", async () => {
  const { h } = await harness();
  await using _ = h;
  const entity = h.seed("Domain-Name", "nodata.example", {
    standardId: scoId("domain-name", { value: "nodata.example" }),
  });
  const workId = await h.publishAndWaitForWork(entity);
  assert.equal(h.octi.work(workId)!.status, "complete", "expectations 0: complete at once");
  assert.equal(await h.platform.depth(`push_${h.connectorIds[0]}`), 0);
});

Deno.test("a 6.8.8 platform: minimal messages, registration without the 6.8.9 fields, STIX read from the API", async () => {
  const { h } = await harness({ platformVersion: "6.8.8" });
  await using _ = h;
  const entity = h.seed("IPv4-Addr", "10.0.0.6", ip("10.0.0.6"));
  const { body, workId } = h.message(entity, { minimal: true });
  await h.publish(body);
  const pushed = await h.readPush(4);
  assert.ok(pushed.some((item) => item.bundle.objects[0]!.id === entity.standard_id));
  assert.equal(h.octi.callsOf("ReadStix").length, 1);
  assert.deepEqual(h.octi.rejected, []);
  const register = h.octi.callsOf("RegisterConnectorLegacy")[0]!;
  assert.equal(JSON.stringify(register.variables).includes("auto_update"), false);
  await h.waitFor(() => h.octi.work(workId!)?.processedTime !== null, "the work to close");
});

Deno.test("a playbook step is answered with the whole bundle, and out of scope with the original", async () => {
  const { h, control } = await harness();
  await using _ = h;
  const entity = h.seed("IPv4-Addr", "10.0.0.7", ip("10.0.0.7"));
  const other = {
    type: "note",
    id: "note--2b4ab5af-2307-58e1-8862-a6a269aae798",
    content: "My note content!",
  };
  const bundle = {
    type: "bundle",
    id: "bundle--11111111-1111-4111-8111-111111111111",
    objects: [entity.stix, other],
  };
  const playbook = {
    event_id: "1730541600000-0",
    execution_id: "exec-1",
    playbook_id: "pb-1",
    data_instance_id: entity.standard_id,
    step_id: "step-2",
    previous_step_id: "step-1",
  };
  const message = (data: unknown, id: string) => ({
    internal: {
      work_id: null,
      applicant_id: "c49fe040-2dad-412d-af07-ce639204ad55",
      mode: "auto",
      trigger: "update",
      playbook,
    },
    event: { entity_id: id, bundle: data },
  });
  await h.publish(message(bundle, entity.standard_id));
  await h.waitFor(() => h.octi.playbookSteps.length === 1, "the playbook answer");
  const step = h.octi.playbookSteps[0]!;
  const answered = JSON.parse(String(step.bundle));
  const ids = answered.objects.map((o: { id: string }) => o.id);
  assert.ok(ids.includes(other.id), "the original objects are kept");
  assert.equal(
    answered.objects.find((o: { id: string }) => o.id === entity.standard_id).x_opencti_score,
    42,
  );
  assert.equal(answered.objects.length, 5, "entity, note, author, domain, relationship");
  assert.equal(step.previous_bundle, JSON.stringify(bundle));
  assert.equal(step.step_id, "step-2");
  assert.equal(await h.platform.depth(`push_${h.connectorIds[0]}`), 0, "playbooks push nothing");

  const url = {
    type: "url",
    id: scoId("url", { value: "http://p.example" }),
    value: "http://p.example",
  };
  const outOfScope = {
    type: "bundle",
    id: "bundle--22222222-2222-4222-8222-222222222222",
    objects: [url],
  };
  await h.publish(message(outOfScope, url.id));
  await h.waitFor(() => h.octi.playbookSteps.length === 2, "the second playbook answer");
  assert.deepEqual(JSON.parse(String(h.octi.playbookSteps[1]!.bundle)), outOfScope);
  assert.equal(control.calls.length, 1);
});

Deno.test("several connectors in one process share one broker connection, each with its own queue", async () => {
  const { h } = await harness({
    yaml: {
      testvendor: YAML.testvendor,
      connectors: [
        { vendor: "testvendor", name: "First", scope: "IPv4-Addr" },
        { vendor: "testvendor", name: "Second", scope: "Domain-Name" },
      ],
    },
  });
  await using _ = h;
  assert.equal(h.connectorIds.length, 2);
  assert.equal(h.octi.connectors.size, 2);
  const a = h.seed("IPv4-Addr", "10.0.0.8", ip("10.0.0.8"));
  const b = h.seed("Domain-Name", "two.example", {
    standardId: scoId("domain-name", { value: "two.example" }),
  });
  await h.publish(h.message(a).body, 0);
  await h.publish(h.message(b).body, 1);
  assert.equal((await h.readPush(4, { index: 0 })).length, 4);
  assert.equal((await h.readPush(4, { index: 1 })).length, 4);
  const connections = h.logs.records().filter((r) => r.message === "Consuming");
  assert.equal(connections.length, 2);
});

Deno.test("processing is concurrent: 64 messages of 100 ms each finish far faster than one at a time", async () => {
  const { h, control } = await harness({
    yaml: { ...YAML, connector: { ...YAML.connector, concurrency: 64 } },
  });
  await using _ = h;
  control.latencyMs = 100;
  const messages = Array.from({ length: 64 }, (_, i) => {
    const value = `10.1.0.${i}`;
    return h.message(h.seed("IPv4-Addr", value, ip(value)));
  });
  const started = performance.now();
  for (const message of messages) await h.publish(message.body);
  await h.waitFor(
    () => messages.every((m) => h.octi.work(m.workId!)?.processedTime !== null),
    "every work to close",
    20_000,
  );
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 64 * 100 / 4, `64 x 100 ms took ${Math.round(elapsed)} ms`);
  assert.ok(control.maxActive > 8, `at most ${control.maxActive} at once`);
  // deno-lint-ignore no-console
  console.log(
    `64 messages x 100 ms vendor latency, concurrency 64: ${
      Math.round(elapsed)
    } ms (serial bound 6400 ms)`,
  );
  await h.readPush(64 * 4, { timeoutMs: 20_000 });
});

Deno.test("the entity read does not wait for the work's toReceived round trip", async () => {
  const { h } = await harness();
  await using _ = h;
  h.octi.setLatency(150);
  const entity = h.seed("IPv4-Addr", "192.0.2.45", ip("192.0.2.45"));
  const { body, workId } = h.message(entity);
  await h.publish(body);
  await h.waitFor(() => Boolean(h.octi.work(workId!)?.processedTime), "the work", 15_000);
  const at = (name: string) => h.octi.calls.find((call) => call.operationName === name)!.at;
  const gap = at("ReadEntity") - at("WorkToReceived");
  assert.ok(gap < 100, `the read was sent ${gap} ms after toReceived (a 150 ms round trip)`);
  assert.deepEqual(h.octi.work(workId!)!.errors, []);
});

Deno.test("readiness follows the broker: not ready while the connection is down, ready again once consuming", async () => {
  const proxy = startTcpProxy({ targetPort: 5672 });
  await proxy.ready;
  const control = testVendorControl();
  try {
    await using h = await startHarness({
      vendors: [createTestVendor(control)],
      yaml: YAML,
      brokerPort: proxy.port,
    });
    assert.equal(h.runtime.ready, true);
    assert.equal(h.metrics.ready.value(), 1);
    proxy.setRefusing(true);
    proxy.cutAll();
    await h.waitFor(() => !h.runtime.ready, "the runtime to report not ready");
    assert.equal(h.metrics.ready.value(), 0, "the ready gauge follows");
    proxy.setRefusing(false);
    await h.waitFor(() => h.runtime.ready, "the runtime to be ready again", 15_000);
    assert.equal(h.metrics.ready.value(), 1);
    const entity = h.seed("IPv4-Addr", "192.0.2.44", ip("192.0.2.44"));
    const { body, workId } = h.message(entity);
    await h.publish(body);
    await h.waitFor(
      () => Boolean(h.octi.work(workId!)?.processedTime),
      "the work after reconnection",
    );
    assert.deepEqual(h.octi.work(workId!)!.errors, [], "enriched normally after reconnection");
  } finally {
    await proxy.close();
  }
});
