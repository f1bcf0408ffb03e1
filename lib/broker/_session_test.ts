import assert from "node:assert/strict";
import { BrokerError } from "../errors/mod.ts";
import { captureLogger } from "../log/testing.ts";
import { startFakeAmqpServer } from "../../tests/support/fake_amqp_server.ts";
import { startTcpProxy } from "../../tests/support/tcp_proxy.ts";
import { bodyOf, LOCAL, waitFor, withConnector } from "./_testing.ts";
import { connectBroker } from "./broker.ts";

Deno.test("checkQueue resolves for an existing queue and names a missing one in a lasting BrokerError", async () => {
  await withConnector(async ({ id }) => {
    const broker = await connectBroker({ ...LOCAL, logger: captureLogger().logger });
    try {
      await broker.checkQueue(`listen_${id}`);
      const missing = `listen_missing-${crypto.randomUUID()}`;
      const error = await broker.checkQueue(missing).catch((e) => e);
      assert.ok(error instanceof BrokerError);
      assert.equal(error.transient, false);
      assert.match(error.message, new RegExp(`Queue "${missing}" does not exist on amqp://`));
      await broker.checkQueue(`listen_${id}`);
    } finally {
      await broker.close();
    }
  });
});

Deno.test("closing while a reconnection handshake is under way leaves no connection open", async () => {
  const server = startFakeAmqpServer({ relayTo: 5672 });
  await server.ready;
  const broker = await connectBroker({
    ...LOCAL,
    port: server.port,
    logger: captureLogger().logger,
    reconnect: { initialDelayMs: 50, maxDelayMs: 50 },
  });
  try {
    server.holdNext(1, 400);
    server.cutAll();
    await waitFor(() => server.accepted === 2 && server.connections === 1);
    await broker.close();
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(server.connections, 0, "the attempt did not complete into a leaked connection");
  } finally {
    await server.close();
  }
});

Deno.test("after a cut connection the consumer resumes and a publish made during the outage completes", async () => {
  await withConnector(async ({ id, platform }) => {
    const proxy = startTcpProxy({ targetPort: 5672 });
    await proxy.ready;
    let reconnects = 0;
    const broker = await connectBroker({
      ...LOCAL,
      port: proxy.port,
      logger: captureLogger().logger,
      reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
      observer: { reconnect: () => reconnects++ },
    });
    try {
      const received = new Set<number>();
      await broker.consume(`listen_${id}`, { prefetch: 10 }, async (delivery) => {
        received.add(bodyOf(delivery).n);
        await delivery.ack();
      });
      for (let i = 0; i < 20; i++) await platform.publishEnrichment(id, { n: i });
      await waitFor(() => received.size === 20);
      assert.ok(proxy.cutAll() >= 1);
      const during = broker.publish(
        "amqp.worker.exchange",
        `push_routing_${id}`,
        '{"during":true}',
      );
      for (let i = 20; i < 40; i++) await platform.publishEnrichment(id, { n: i });
      await during;
      await waitFor(() => received.size === 40, 15_000);
      assert.ok(reconnects >= 1);
      const [pushed] = await platform.readPush(id, { count: 1, timeoutMs: 5000 });
      assert.deepEqual(pushed!.body, { during: true });
    } finally {
      await broker.close();
      await proxy.close();
    }
  });
});
