import assert from "node:assert/strict";
import { buildConfig } from "../config/mod.ts";
import { ALPHA_VENDOR, TEST_ID } from "../config/testing.ts";
import type { CapturedRecord } from "../log/testing.ts";
import type { VendorModule } from "../vendors/mod.ts";
import { createConnector } from "./connector.ts";
import { startLine } from "./start_line.ts";

const TOKEN = "octi-token-0123456789";
const KEY = "alpha-key-secret-42";

const ALPHA: VendorModule = {
  ...ALPHA_VENDOR,
  manifest: {} as VendorModule["manifest"],
  create: () => ({
    enrich: () => Promise.reject(new Error("not in this test")),
    probe: () => Promise.resolve(),
  }),
};

function config(env: Record<string, string> = {}, sourcePath?: string) {
  return buildConfig({
    yaml: { opencti: { url: "http://octi.invalid:8080", token: TOKEN }, alpha: { api_key: KEY } },
    env: (name) => ({ CONNECTOR_ID: TEST_ID, CONNECTOR_NAME: "Alpha prod", ...env })[name],
    vendors: [ALPHA_VENDOR],
    ...(sourcePath ? { sourcePath } : {}),
  });
}

Deno.test("the composition root masks every secret of the configuration in every log line", async () => {
  const lines: string[] = [];
  await using connector = await createConnector(
    await config({ MQ_PASS: "amqp-password-1", CONNECTOR_LOG_LEVEL: "debug" }),
    { vendors: [ALPHA], logSink: (line) => lines.push(line) },
  );
  connector.logger.error("leak?", { text: `${TOKEN} ${KEY} amqp-password-1` });
  assert.equal(lines.length, 1);
  for (const secret of [TOKEN, KEY, "amqp-password-1"]) {
    assert.ok(!lines[0]!.includes(secret), secret);
  }
});

Deno.test("one logger name, the connector's; components are an attribute", async () => {
  const lines: string[] = [];
  await using connector = await createConnector(await config({ CONNECTOR_LOG_LEVEL: "info" }), {
    vendors: [ALPHA],
    logSink: (line) => lines.push(line),
  });
  connector.logger.info("root");
  connector.logger.child("opencti").info("child");
  const records = lines.map((line) => JSON.parse(line) as CapturedRecord);
  assert.deepEqual(records.map((record) => record.name), ["Alpha prod", "Alpha prod"]);
  assert.deepEqual(records[1]!.attributes, { component: "opencti" });
});

Deno.test("the start line is written at INFO even at the default level, and says where the config came from", async () => {
  const lines: string[] = [];
  const loaded = await config({}, "/etc/opencti-enrich/config.yml");
  await using connector = await createConnector(loaded, {
    vendors: [ALPHA],
    logSink: (line) => lines.push(line),
  });
  connector.logger.info("hidden at the default level (error)");
  const probes = await connector.probeVendors();
  const line = startLine(loaded, {
    platformVersion: "6.8.10",
    queues: [`listen_${TEST_ID}`],
    probes,
  });
  connector.announce(line.message, line.attributes);
  assert.equal(lines.length, 1);
  const record = JSON.parse(lines[0]!) as CapturedRecord;
  assert.equal(record.level, "INFO");
  assert.equal(
    record.message,
    `opencti-enrich ${record.attributes?.version} started against OpenCTI 6.8.10 at http://octi.invalid:8080; configuration: config file "/etc/opencti-enrich/config.yml" and environment; "Alpha prod" (alpha) enriches IPv4-Addr from listen_${TEST_ID}; vendor key checked with one request each (alpha)`,
  );
});

Deno.test("the start line says when the configuration came from the environment only", async () => {
  const loaded = await config();
  const line = startLine(loaded, {
    platformVersion: "7.260807.0",
    queues: ["listen_a"],
    probes: [],
  });
  assert.match(line.message, /configuration: environment only, no config file;/);
  assert.match(line.message, /no vendor key could be checked$/);
});
