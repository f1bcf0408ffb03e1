/**
 * Configuration traps an operator falls into in the first hour, each in a
 * fresh process with the real RabbitMQ and the fake platform: every one is a
 * configuration error (exit code 2) naming the setting, the cause and the
 * fix, the same in `check` and `run`, and nothing is contacted.
 */

import assert from "node:assert/strict";
import { runProgram } from "../support/connector_process.ts";
import { assertBothShow, assertShows, troubleshootingRows } from "./_troubleshooting.ts";
import { checkAndRun, type OperatorWorld, startWorld } from "./_world.ts";

const rows = await troubleshootingRows();

type Changes = Record<string, string | undefined>;

async function trap(when: string, changes: Changes | ((world: OperatorWorld) => Changes)) {
  await using world = await startWorld();
  const { check, run } = await checkAndRun(
    world.env(typeof changes === "function" ? changes(world) : changes),
  );
  assertBothShow(rows.get(when), { check, run });
  assert.equal(world.octi.calls.length, 0, "nothing reached the platform");
  assert.equal(world.vendor.requests.length, 0, "nothing reached the vendor");
}

Deno.test("operator: a placeholder API key is reported on SILENTPUSH_API_KEY, not as a missing vendor", async () => {
  await trap("The vendor API key is still the sample's placeholder", {
    SILENTPUSH_API_KEY: "ChangeMe",
  });
});

Deno.test("operator: an empty CONNECTOR_ID (an unset compose variable) is refused, no public default id", async () => {
  await trap("CONNECTOR_ID is unset or empty", { CONNECTOR_ID: "" });
});

Deno.test("operator: a typo'd scope type is refused with the nearest type", async () => {
  await trap("A scope type is misspelt", { CONNECTOR_SCOPE: "IPv4-Adr,Url" });
});

Deno.test("operator: a scope type the vendor cannot enrich is refused with the vendor's types", async () => {
  await trap("The scope names a type the vendor cannot enrich", {
    CONNECTOR_SCOPE: "IPv4-Addr,StixFile",
  });
});

Deno.test("operator: an OPENCTI_URL ending in /graphql is refused with the URL to use", async () => {
  await trap("OPENCTI_URL ends with /graphql", (world) => ({
    OPENCTI_URL: `${world.octi.url}/graphql`,
  }));
});

Deno.test("operator: an unreadable CA bundle is refused by check --offline, check and run alike", async () => {
  const when = "The CA bundle OPENCTI_SSL_VERIFY names cannot be read";
  await trap(when, { OPENCTI_SSL_VERIFY: "/nonexistent/opencti-ca.pem" });
  await using world = await startWorld();
  const offline = await runProgram(["check", "--offline"], {
    env: world.env({ OPENCTI_SSL_VERIFY: "/nonexistent/opencti-ca.pem" }),
  });
  assertShows(rows.get(when), "check", offline);
});

Deno.test("operator: bad custom headers are refused by check --offline as by run", async () => {
  await using world = await startWorld();
  const env = world.env({ OPENCTI_CUSTOM_HEADERS: "X-Tenant blue" });
  const offline = await runProgram(["check", "--offline"], { env });
  const run = await runProgram(["run"], { env, timeoutMs: 30_000 });
  for (const result of [offline, run]) {
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(
      result.stdout + result.stderr,
      /opencti\.custom_headers \(OPENCTI_CUSTOM_HEADERS\): entry 1 has no ":" between the header name and its value/,
    );
  }
});
