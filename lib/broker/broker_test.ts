import assert from "node:assert/strict";
import { BrokerError } from "../errors/mod.ts";
import { captureLogger } from "../log/testing.ts";
import { SecretRedactor } from "../log/mod.ts";
import { startFakeAmqpServer } from "../../tests/support/fake_amqp_server.ts";
import { PlatformBroker } from "../../tests/support/platform_queues.ts";
import { bodyOf, holdDeliveries, LOCAL, waitFor, withConnector } from "./_testing.ts";
import { brokerUrl, connectBroker } from "./broker.ts";

Deno.test("brokerUrl() encodes credentials and vhost and can skip TLS verification", () => {
  const url = brokerUrl({
    ...LOCAL,
    user: "u@x",
    pass: "p:/?#",
    vhost: "/opencti",
    useSsl: true,
    tls: { rejectUnauthorized: false },
    logger: captureLogger().logger,
  });
  assert.equal(url, "amqps://u%40x:p%3A%2F%3F%23@127.0.0.1:5672/%2Fopencti?heartbeat=10&insecure=");
});

Deno.test("consume hands out up to prefetch deliveries at once, the next only after an ack", async () => {
  await withConnector(async ({ id, platform }) => {
    const broker = await connectBroker({ ...LOCAL, logger: captureLogger().logger });
    try {
      for (let i = 0; i < 5; i++) await platform.publishEnrichment(id, { n: i });
      const { held, consumer } = await holdDeliveries(broker, `listen_${id}`, 3);
      await waitFor(() => held.length === 3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(held.length, 3, "no fourth delivery before an ack");
      assert.equal(await held[0]!.ack(), true);
      await waitFor(() => held.length === 4);
      for (const delivery of held.slice(1)) await delivery.ack();
      await waitFor(() => held.length === 5);
      await held[4]!.ack();
      assert.deepEqual(held.map((d) => bodyOf(d).n), [0, 1, 2, 3, 4]);
      await consumer.cancel();
    } finally {
      await broker.close();
    }
  });
});

Deno.test("unacked deliveries return with redelivered=true when the connection closes", async () => {
  await withConnector(async ({ id, platform }) => {
    await platform.publishEnrichment(id, { n: 1 });
    const first = await connectBroker({ ...LOCAL, logger: captureLogger().logger });
    const { held: seen } = await holdDeliveries(first, `listen_${id}`, 1);
    await waitFor(() => seen.length === 1);
    assert.equal(seen[0]!.redelivered, false);
    await first.close();
    assert.equal(
      await seen[0]!.ack(),
      false,
      "acking on a dead channel reports false, never throws",
    );
    const second = await connectBroker({ ...LOCAL, logger: captureLogger().logger });
    try {
      const { held: again } = await holdDeliveries(second, `listen_${id}`, 1);
      await waitFor(() => again.length === 1);
      assert.equal(again[0]!.redelivered, true);
      await again[0]!.ack();
    } finally {
      await second.close();
    }
  });
});

Deno.test("cancel stops new deliveries while in-flight ones can still be acked", async () => {
  await withConnector(async ({ id, platform }) => {
    for (let i = 0; i < 3; i++) await platform.publishEnrichment(id, { n: i });
    const broker = await connectBroker({ ...LOCAL, logger: captureLogger().logger });
    try {
      const { held, consumer } = await holdDeliveries(broker, `listen_${id}`, 1);
      await waitFor(() => held.length === 1);
      await consumer.cancel();
      assert.equal(await held[0]!.ack(), true, "the in-flight message is acked after cancel");
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(held.length, 1, "no delivery after cancel");
    } finally {
      await broker.close();
    }
    assert.equal(await platform.depth(`listen_${id}`), 2);
  });
});

Deno.test("publish resolves after the broker confirms, persistent and with the content encoding", async () => {
  await withConnector(async ({ id, platform }) => {
    const broker = await connectBroker({ ...LOCAL, logger: captureLogger().logger });
    try {
      await broker.publish(
        "amqp.worker.exchange",
        `push_routing_${id}`,
        JSON.stringify({ ok: 1 }),
        {
          contentEncoding: "utf-8",
        },
      );
      const [message] = await platform.readPush(id, { count: 1, timeoutMs: 5000 });
      assert.deepEqual(message!.body, { ok: 1 });
      assert.equal(message!.properties.deliveryMode, 2);
      assert.equal(message!.properties.contentEncoding, "utf-8");
    } finally {
      await broker.close();
    }
  });
});

Deno.test("publishing to a missing exchange fails at once with a BrokerError", async () => {
  const broker = await connectBroker({ ...LOCAL, logger: captureLogger().logger });
  try {
    const error = await broker.publish(`missing-${crypto.randomUUID()}`, "x", "{}").catch((e) => e);
    assert.ok(error instanceof BrokerError);
    assert.equal(error.transient, false);
    assert.match(error.message, /Cannot publish to exchange "missing-.*NOT_FOUND/);
  } finally {
    await broker.close();
  }
});

Deno.test("consuming a queue that does not exist is a clear BrokerError and declares nothing", async () => {
  const broker = await connectBroker({ ...LOCAL, logger: captureLogger().logger });
  const queue = `listen_missing-${crypto.randomUUID()}`;
  try {
    const error = await broker.consume(queue, { prefetch: 1 }, () => Promise.resolve()).catch((e) =>
      e
    );
    assert.ok(error instanceof BrokerError);
    assert.match(error.message, new RegExp(`Cannot consume queue "${queue}"`));
  } finally {
    await broker.close();
  }
  const platform = await PlatformBroker.open();
  assert.equal(await platform.depth(queue), 0);
  await platform.close();
});

Deno.test("bad credentials fail without the password in the error or the logs", async () => {
  const captured = captureLogger();
  const error = await connectBroker({ ...LOCAL, pass: "s3cret-amqp-pass", logger: captured.logger })
    .catch((e) => e);
  assert.ok(error instanceof BrokerError);
  assert.match(
    error.message,
    /Cannot connect to RabbitMQ at amqp:\/\/127\.0\.0\.1:5672 vhost "\/" as "guest"/,
  );
  assert.ok(!error.message.includes("s3cret-amqp-pass"));
  assert.ok(!String(error.cause).includes("s3cret-amqp-pass"));
  assert.ok(captured.lines.every((line) => !line.includes("s3cret-amqp-pass")));
});

Deno.test("a broker that repeats the login in its refusal: no password in the error or the logs, and the program's redactor learns it", async () => {
  const server = startFakeAmqpServer({ how: "refuse_echoing_login" });
  await server.ready;
  const redactor = new SecretRedactor();
  const captured = captureLogger({ redactor: new SecretRedactor() });
  try {
    const error = await connectBroker({
      ...LOCAL,
      port: server.port,
      pass: "s3cret-amqp-pass",
      logger: captured.logger,
      redactor,
    }).catch((e) => e);
    assert.ok(error instanceof BrokerError);
    assert.match(error.message, /ACCESS_REFUSED - login guest:\[REDACTED\] refused/);
    assert.ok(!String(error.cause).includes("s3cret-amqp-pass"));
    assert.ok(captured.lines.every((line) => !line.includes("s3cret-amqp-pass")));
    assert.equal(redactor.redact("s3cret-amqp-pass"), "[REDACTED]");
  } finally {
    await server.close();
  }
});
