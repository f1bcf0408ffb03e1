import assert from "node:assert/strict";
import { startFakeOpenCti } from "../fake_opencti/mod.ts";
import { startFakeSilentPush } from "../fake_vendors/silentpush.ts";
import { startConnectorProcess } from "../support/connector_process.ts";
import { hangingPlatform } from "../support/hanging_platform.ts";
import { PlatformBroker } from "../support/platform_queues.ts";
import {
  buildStream,
  publishAll,
  reconcile,
  type Reconciliation,
  report,
  vendorCallsFor,
  worker,
} from "../support/stream.ts";

type World = Awaited<ReturnType<typeof world>>;

async function world(latencyMs: number) {
  const platform = await PlatformBroker.open();
  const octi = await startFakeOpenCti({ onRegister: (id) => platform.declare(id) });
  const api = startFakeSilentPush({ latencyMs });
  const connectorId = crypto.randomUUID();
  const config = (concurrency: number) => ({
    opencti: { url: octi.url, token: octi.token },
    connector: {
      vendor: "silentpush",
      id: connectorId,
      concurrency,
      log_level: "info",
      shutdown_timeout: 30,
    },
    silentpush: { api_key: api.apiKey, api_base_url: api.url },
  });
  return {
    platform,
    octi,
    api,
    connectorId,
    config,
    async [Symbol.asyncDispose]() {
      await platform.delete(connectorId);
      await platform.close();
      await api.close();
      await octi.close();
    },
  };
}

/**
 * Starts a connector process on 8 workers, publishes a stream of `count`
 * messages (values under `prefix`) and waits until `vendorCalls` of them
 * reached the vendor: the process is then mid-stream.
 */
async function startMidStream(
  w: World,
  options: { count: number; prefix: string; vendorCalls: number },
) {
  const first = await startConnectorProcess(w.config(8));
  await first.consuming;
  const stream = buildStream(w.octi, options.count, options.prefix);
  await publishAll(w.platform, w.connectorId, stream);
  while (vendorCallsFor(w.api.requests, stream) < options.vendorCalls) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { first, stream };
}

/**
 * Starts a connector process on `config` with a fake worker importing what it
 * pushes, reconciles `stream` and reports it as `scenario`, then stops the
 * process with SIGTERM and asserts a clean exit.
 */
async function startAndDrain(
  w: World,
  config: Record<string, unknown>,
  stream: Parameters<typeof reconcile>[1],
  scenario: string,
): Promise<Reconciliation> {
  const connector = await startConnectorProcess(config);
  const drain = await worker(w.octi, [w.connectorId]);
  try {
    const result = await reconcile(w.octi, stream, { timeoutMs: 60_000 });
    report(scenario, result, {
      vendorCalls: vendorCallsFor(w.api.requests, stream),
      bundles: drain.consumed,
    });
    connector.kill("SIGTERM");
    assert.equal(await connector.exited, 0);
    return result;
  } finally {
    await drain.close();
  }
}

Deno.test("resilience: SIGTERM with messages in flight — they finish, the rest stays queued, nothing lost", async () => {
  await using w = await world(300);
  const fake = await worker(w.octi, []);
  try {
    const { first, stream } = await startMidStream(w, {
      count: 40,
      prefix: "10.70",
      vendorCalls: 8,
    });
    first.kill("SIGTERM");
    assert.equal(await first.exited, 0, "a clean exit");
    const finished = stream.filter((item) => w.octi.work(item.workId)?.processedTime);
    assert.ok(finished.length >= 8, `the ${finished.length} in-flight messages finished`);
    assert.ok(
      finished.every((item) => w.octi.work(item.workId)!.errors.length === 0),
      "none cut short",
    );
    const queued = await w.platform.depth(`listen_${w.connectorId}`);
    assert.equal(finished.length + queued, 40, "the others are still in the queue");

    await startAndDrain(w, w.config(8), stream, "SIGTERM with messages in flight");
  } finally {
    await fake.close();
  }
});

Deno.test("resilience: SIGTERM during start-up while OpenCTI hangs — stopped within a second, the queued messages enriched once by the next start", async () => {
  using hanging = hangingPlatform();
  await using w = await world(20);
  await w.platform.declare(w.connectorId);
  const stream = buildStream(w.octi, 20, "10.90");
  await publishAll(w.platform, w.connectorId, stream);
  const config = w.config(8);
  const first = await startConnectorProcess({
    ...config,
    opencti: { url: hanging.url, token: w.octi.token },
  });
  await hanging.accepted;
  const signalled = performance.now();
  first.kill("SIGTERM");
  assert.equal(await first.exited, 0, first.logs.join("\n"));
  const elapsedMs = performance.now() - signalled;
  assert.ok(elapsedMs < 1000, `stopped ${Math.round(elapsedMs)} ms after SIGTERM`);
  assert.equal(vendorCallsFor(w.api.requests, stream), 0, "nothing enriched before start-up");
  assert.equal(await w.platform.depth(`listen_${w.connectorId}`), 20, "all still queued");

  const result = await startAndDrain(w, config, stream, "SIGTERM during start-up");
  assert.equal(result.pushed, 20);
  assert.equal(vendorCallsFor(w.api.requests, stream), 20, "each enriched once");
});

Deno.test("resilience: SIGKILL mid-stream, then a restart — redelivered messages complete", async () => {
  await using w = await world(200);
  const { first, stream } = await startMidStream(w, {
    count: 40,
    prefix: "10.80",
    vendorCalls: 12,
  });
  first.kill("SIGKILL");
  await first.exited;
  const result = await startAndDrain(w, w.config(8), stream, "SIGKILL and restart");
  assert.equal(result.pushed, 40);
  const redelivered = stream.filter((item) =>
    w.api.requests.filter((r) => r.path.includes(`/${item.value}/`)).length > 1
  );
  assert.ok(redelivered.length > 0, "some messages were in flight when killed and ran again");
});

Deno.test("resilience: two replicas with the same connector id share one stream as competing consumers", async () => {
  // The vendor bound dominates (2 in flight x 100 ms = 20/s per replica), so
  // the speed-up measures the distribution, not this test process's CPU.
  await using w = await world(100);
  const fake = await worker(w.octi, []);
  try {
    const timed = async (replicas: number, prefix: string) => {
      const processes = [];
      for (let i = 0; i < replicas; i++) processes.push(await startConnectorProcess(w.config(2)));
      await Promise.all(processes.map((p) => p.consuming));
      const stream = buildStream(w.octi, 80, prefix);
      const started = performance.now();
      const drain = await worker(w.octi, [w.connectorId]);
      await publishAll(w.platform, w.connectorId, stream);
      const result = await reconcile(w.octi, stream, { timeoutMs: 60_000 });
      const seconds = (performance.now() - started) / 1000;
      report(`${replicas} replica(s)`, result, {
        vendorCalls: vendorCallsFor(w.api.requests, stream),
        bundles: drain.consumed,
      });
      assert.equal(result.pushed, 80);
      for (const p of processes) p.kill("SIGTERM");
      for (const p of processes) assert.equal(await p.exited, 0);
      await drain.close();
      const both = processes.map((p) =>
        p.logs.filter((l) => l.includes('"Reporting work update_processed"')).length
      );
      return { seconds, stream, both };
    };
    const one = await timed(1, "10.90");
    const two = await timed(2, "10.91");
    for (const item of two.stream) {
      const calls = w.api.requests.filter((r) => r.path.includes(`/${item.value}/`)).length;
      assert.equal(calls, 1, `${item.value} enriched ${calls} times`);
    }
    assert.ok(two.both.every((count) => count > 10), `both replicas worked: ${two.both}`);
    const speedup = one.seconds / two.seconds;
    // deno-lint-ignore no-console
    console.log(
      `resilience scale-out: 1 replica ${one.seconds.toFixed(2)} s, 2 replicas ${
        two.seconds.toFixed(2)
      } s, x${speedup.toFixed(2)}`,
    );
    assert.ok(speedup > 1.4, `two replicas only ${speedup.toFixed(2)}x faster`);
  } finally {
    await fake.close();
  }
});
