/**
 * What `run` says at start at the default log level (pycti's `error`): one
 * line, at INFO, naming the configuration's source, the vendor, the scope,
 * the queue, the platform's version and the vendor key check.
 */

import assert from "node:assert/strict";
import { startConnectorProcess } from "../support/connector_process.ts";
import { type OperatorWorld, startWorld } from "./_world.ts";

async function startLines(world: OperatorWorld, config: Record<string, unknown> | undefined) {
  const child = await startConnectorProcess(config, {
    env: config === undefined ? world.env() : { CONNECTOR_ID: world.connectorId },
  });
  try {
    await child.consuming;
  } finally {
    child.kill("SIGTERM");
  }
  assert.equal(await child.exited, 0);
  return child.logs.map((line) => JSON.parse(line));
}

Deno.test("operator: run writes one start line at the default level, naming the config file it merged", async () => {
  await using world = await startWorld();
  const records = await startLines(world, {
    opencti: { url: world.octi.url, token: world.octi.token },
    connector: { scope: "ipv4-addr,URL" },
    silentpush: { api_key: world.vendor.apiKey, api_base_url: world.vendor.url },
  });
  const started = records.filter((record) => / started against OpenCTI /.test(record.message));
  assert.equal(started.length, 1, JSON.stringify(records));
  const line = started[0];
  assert.equal(line.level, "INFO");
  assert.equal(line.name, "Silent Push - Enrichment");
  assert.match(
    line.message,
    /^opencti-enrich \S+ started against OpenCTI 6\.8\.10 at http:\/\/127\.0\.0\.1:\d+; /,
  );
  assert.match(line.message, /configuration: config file "[^"]+\.yml" and environment; /);
  assert.match(
    line.message,
    new RegExp(
      `"Silent Push - Enrichment" \\(silentpush\\) enriches IPv4-Addr, Url from listen_${world.connectorId}; `,
    ),
  );
  assert.match(line.message, /vendor key checked with one request each \(silentpush\)$/);
  assert.equal(world.vendor.requests.length, 1, "the key check is the only vendor request");
  const others = records.filter((record) => record !== line && record.level !== "INFO");
  assert.deepEqual(others, [], "nothing else at the default level");
});

Deno.test("operator: with env vars alone the start line says the environment only", async () => {
  await using world = await startWorld();
  const records = await startLines(world, undefined);
  const line = records.find((record) => / started against OpenCTI /.test(record.message));
  assert.match(line?.message ?? "", /configuration: environment only, no config file; /);
});
