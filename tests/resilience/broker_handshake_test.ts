import assert from "node:assert/strict";
import { PlatformBroker } from "../support/platform_queues.ts";
import type { HandshakeSummary } from "./broker_handshake_scenario.ts";

const SCENARIO = new URL("./broker_handshake_scenario.ts", import.meta.url);

Deno.test("resilience: handshakes reset right after Connection.Start, or sent a corrupt frame, neither end the process nor stop the session reconnecting", async () => {
  const id = crypto.randomUUID();
  const platform = await PlatformBroker.open();
  await platform.declare(id);
  try {
    // Its own process: an unhandled rejection there is exit code 1, not a test error.
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      cwd: new URL("../../", import.meta.url),
      args: ["run", "--allow-net=127.0.0.1", SCENARIO.pathname, id],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const errors = new TextDecoder().decode(stderr);
    assert.equal(
      code,
      0,
      `the scenario process died:\n${errors.split("\n").slice(-20).join("\n")}`,
    );
    const summary: HandshakeSummary = JSON.parse(new TextDecoder().decode(stdout).trim());
    assert.equal(summary.firstConnectFailures, 5, "a broken first handshake is a BrokerError");
    assert.equal(summary.brokenHandshakes, 19, "every scripted handshake was broken");
    assert.ok(
      summary.ignoredRejections >= 1,
      "the library's unbound rejectConnect did raise its TypeError (the trigger happened)",
    );
    assert.equal(summary.reconnects, 1);
    assert.ok(summary.received.includes(2), "consuming again after the broken handshakes");
    assert.deepEqual(summary.pushed, { after: "reconnect" }, "publishing with confirms again");
    assert.doesNotMatch(errors, /Uncaught/);
  } finally {
    await platform.delete(id);
    await platform.close();
  }
});
