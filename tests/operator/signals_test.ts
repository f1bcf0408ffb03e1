/**
 * SIGTERM in every phase, on a fresh process: during start-up while the
 * platform hangs (start-up retries could otherwise take minutes), the first
 * signal ends `run` and `check` within a second; once consuming, a second
 * signal during the graceful stop exits at once and the unfinished message
 * goes back to the queue.
 */

import assert from "node:assert/strict";
import { enrichmentMessage } from "../support/enrichment_message.ts";
import { type ConnectorProcess, startConnectorProcess } from "../support/connector_process.ts";
import { hangingPlatform } from "../support/hanging_platform.ts";
import { assertShows, troubleshootingRows } from "./_troubleshooting.ts";
import { startWorld } from "./_world.ts";

const rows = await troubleshootingRows();

/** The process's end; one still running 10 s after the signal is killed and fails the test. */
async function outcome(child: ConnectorProcess) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((
    resolve,
  ) => (timer = setTimeout(() => resolve("late"), 10_000)));
  const code = await Promise.race([child.exited, late]);
  clearTimeout(timer);
  if (code === "late") {
    child.kill("SIGKILL");
    await child.exited;
    assert.fail(`still running 10 s after the signal:\n${child.logs.join("\n")}`);
  }
  return { code, stdout: "", stderr: child.logs.join("\n") };
}

for (const command of ["run", "check"] as const) {
  Deno.test(`operator: SIGTERM during start-up ends ${command} within a second while OpenCTI hangs`, async () => {
    await using world = await startWorld();
    using platform = hangingPlatform();
    const child = await startConnectorProcess(undefined, {
      args: [command],
      env: world.env({ OPENCTI_URL: platform.url, OPENCTI_MAX_RETRIES: "6" }),
    });
    await platform.accepted;
    const sent = performance.now();
    child.kill("SIGTERM");
    const result = await outcome(child);
    const elapsed = performance.now() - sent;
    assert.ok(elapsed < 1000, `${command} ended ${Math.round(elapsed)} ms after SIGTERM`);
    assertShows(rows.get("SIGTERM or SIGINT during start-up"), command, result);
  });
}

Deno.test("operator: a second SIGTERM during the graceful stop exits at once; the message returns to the queue", async () => {
  await using world = await startWorld();
  const child = await startConnectorProcess(undefined, {
    env: world.env({ CONNECTOR_SHUTDOWN_TIMEOUT: "60", CONNECTOR_SCOPE: "IPv4-Addr" }),
  });
  const consuming = await Promise.race([
    child.consuming.then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 30_000)),
  ]);
  if (!consuming) {
    child.kill("SIGKILL");
    await child.exited;
    assert.fail(`no start line within 30 s:\n${child.logs.join("\n")}`);
  }
  world.vendor.setLatency(5_000);
  const entity = world.octi.addEntity({
    standard_id: "ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7",
    entity_type: "IPv4-Addr",
    observable_value: "8.8.8.8",
  });
  const before = world.vendor.requests.length;
  await world.platform.publishEnrichment(
    world.connectorId,
    enrichmentMessage(world.octi, entity).body,
  );
  while (world.vendor.requests.length === before) await new Promise((r) => setTimeout(r, 20));
  child.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 300));
  const sent = performance.now();
  child.kill("SIGTERM");
  const result = await outcome(child);
  assert.ok(performance.now() - sent < 1000, "the second signal ended the process at once");
  assertShows(rows.get("A second SIGTERM or SIGINT"), "run", result);
  const queue = `listen_${world.connectorId}`;
  const deadline = Date.now() + 5_000;
  while ((await world.platform.depth(queue)) !== 1 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(await world.platform.depth(queue), 1, "the unfinished message is back in the queue");
});
