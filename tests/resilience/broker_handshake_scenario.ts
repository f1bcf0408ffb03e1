/**
 * The broken-handshake scenario, run as its own process by
 * `broker_handshake_test.ts`: an unhandled rejection ends a Deno process with
 * exit code 1, which a test in the runner's own process could not tell apart
 * from a failed assertion. It prints one JSON summary line on stdout and
 * exits 0 when it ran to the end. Its argument is the id of a connector whose
 * queues the test declared (and deletes, however this process ends).
 *
 * 1. First connections whose handshake is reset (or closed) right after
 *    Connection.Start, or whose Start frame does not parse, fail with a
 *    BrokerError.
 * 2. A connection through the fake server's relay consumes; then it is cut
 *    and the next reconnection attempts are broken the same way; the session
 *    reconnects, consumes again and publishes with confirms.
 *
 * @module
 */

import { connectBroker } from "../../lib/broker/mod.ts";
import type { Delivery } from "../../lib/connector/mod.ts";
import { BrokerError } from "../../lib/errors/mod.ts";
import { createLogger, stderrSink } from "../../lib/log/mod.ts";
import { startFakeAmqpServer } from "../support/fake_amqp_server.ts";
import { PlatformBroker } from "../support/platform_queues.ts";

/** What the scenario prints. */
export interface HandshakeSummary {
  firstConnectFailures: number;
  brokenHandshakes: number;
  reconnects: number;
  received: number[];
  pushed: unknown;
  ignoredRejections: number;
}

const lines: string[] = [];
const logger = createLogger({
  name: "broker-handshake",
  level: "debug",
  sink: (line) => {
    lines.push(line);
    stderrSink(line);
  },
});
const fake = startFakeAmqpServer({ relayTo: 5672 });
await fake.ready;
const id = Deno.args[0];
if (!id) throw new Error("Usage: broker_handshake_scenario.ts CONNECTOR_ID");
const platform = await PlatformBroker.open();
const connection = {
  host: "127.0.0.1",
  port: fake.port,
  vhost: "/",
  user: "guest",
  pass: "guest",
  useSsl: false,
  logger,
  reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
};

let firstConnectFailures = 0;
for (const how of ["reset", "close", "corrupt_frame", "reset", "close"] as const) {
  fake.breakNext(1, how);
  const error = await connectBroker(connection).then(() => undefined, (e) => e);
  if (!(error instanceof BrokerError)) throw new Error(`A broken handshake connected: ${error}`);
  firstConnectFailures++;
}

let reconnects = 0;
const broker = await connectBroker({ ...connection, observer: { reconnect: () => reconnects++ } });
const received: number[] = [];
await broker.consume(`listen_${id}`, { prefetch: 4 }, async (delivery: Delivery) => {
  received.push(JSON.parse(new TextDecoder().decode(delivery.body)).n);
  await delivery.ack();
});
await platform.publishEnrichment(id, { n: 1 });
await until(() => received.includes(1), "the first message");

fake.breakNext(6, "reset");
fake.breakNext(2, "corrupt_frame");
fake.breakNext(6, "close");
fake.cutAll();
await until(() => reconnects === 1 && broker.connected, "the reconnection", 20_000);
await platform.publishEnrichment(id, { n: 2 });
// Message 1 may come again: its ack can be lost in the cut.
await until(() => received.includes(2), "a message after the reconnection");
await broker.publish("amqp.worker.exchange", `push_routing_${id}`, '{"after":"reconnect"}');
const [pushed] = await platform.readPush(id, { count: 1, timeoutMs: 5000 });
// Time for any stray rejection to surface and end the process.
await new Promise((resolve) => setTimeout(resolve, 300));

await broker.close();
await platform.close();
await fake.close();
const summary: HandshakeSummary = {
  firstConnectFailures,
  brokenHandshakes: fake.brokenHandshakes,
  reconnects,
  received,
  pushed: pushed?.body,
  ignoredRejections: lines.filter((line) => line.includes("Ignored an unhandled rejection")).length,
};
// deno-lint-ignore no-console
console.log(JSON.stringify(summary));

async function until(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
