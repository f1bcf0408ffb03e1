import assert from "node:assert/strict";
import { createLogger, formatTimestamp, type LogLevel, parseLogLevel } from "./logger.ts";
import { SecretRedactor } from "./redact.ts";
import { captureLogger } from "./testing.ts";

const FIXED = new Date("2025-11-02T10:00:00.123Z");

Deno.test("JSON lines have pycti's fields: timestamp, level, name, message, attributes", () => {
  const lines: string[] = [];
  const logger = createLogger({
    name: "AbuseIPDB",
    level: "info",
    sink: (line) => lines.push(line),
    now: () => FIXED,
  });
  logger.info("Message ack", { tag: 1 });
  logger.info("No attributes");
  assert.deepEqual(JSON.parse(lines[0] as string), {
    timestamp: "2025-11-02T10:00:00.123000Z",
    level: "INFO",
    name: "AbuseIPDB",
    message: "Message ack",
    attributes: { tag: 1 },
  });
  assert.equal(Object.hasOwn(JSON.parse(lines[1] as string), "attributes"), false);
});

Deno.test("lines below the configured level are not written", () => {
  const written: LogLevel[] = [];
  const logger = createLogger({
    name: "x",
    level: "warning",
    sink: (_line, level) => written.push(level),
  });
  logger.debug("d");
  logger.info("i");
  logger.warning("w");
  logger.error("e");
  assert.deepEqual(written, ["warning", "error"]);
  assert.equal(logger.enabled("info"), false);
  assert.equal(
    createLogger({ name: "x" }).enabled("warning"),
    false,
    "pycti's default level is error",
  );
});

Deno.test("parseLogLevel() accepts pycti's names in any case, warn meaning warning", () => {
  assert.equal(parseLogLevel("INFO"), "info");
  assert.equal(parseLogLevel("warn"), "warning");
  assert.equal(parseLogLevel("Warning"), "warning");
  assert.equal(parseLogLevel("verbose"), undefined);
});

Deno.test("plain-text mode writes one readable line with the attributes", () => {
  const lines: string[] = [];
  const logger = createLogger({
    name: "SP",
    level: "debug",
    json: false,
    sink: (l) => lines.push(l),
    now: () => FIXED,
  });
  logger.warning("Retrying", { delay_ms: 500 });
  assert.equal(lines[0], '2025-11-02T10:00:00.123000Z WARNING SP: Retrying {"delay_ms":500}');
});

Deno.test("an error attribute is logged with its cause chain and exc_info", () => {
  const captured = captureLogger();
  const error = new Error("Outer failure", { cause: new TypeError("inner reason") });
  captured.logger.error("Error in message processing", { error });
  const record = captured.records()[0];
  assert.deepEqual(record?.attributes?.error, {
    name: "Error",
    message: "Outer failure",
    cause: { name: "TypeError", message: "inner reason" },
  });
  assert.match(record?.exc_info ?? "", /Outer failure/);
});

Deno.test("secrets never reach a log line, whatever object carries them", () => {
  const redactor = new SecretRedactor();
  const token = "0cti-t0ken-abcdef";
  const apiKey = "sp-key/with+chars";
  const amqpPass = "amqp pass";
  redactor.add(token, apiKey, amqpPass);
  const captured = captureLogger({ redactor });
  const log = captured.logger;
  log.info(`message with ${token}`);
  log.info("headers", { headers: { Authorization: `Bearer ${token}`, "x-api-key": apiKey } });
  log.info("url", { url: `amqp://guest:${encodeURIComponent(amqpPass)}@host:5672/` });
  log.error("nested", {
    error: new Error(`Request failed for key ${apiKey}`, { cause: { body: token } }),
  });
  log.info("array", { values: [[{ deep: { deeper: amqpPass } }]] });
  log.info("json-escaped", { text: JSON.stringify({ k: apiKey }) });
  log.child("api").warning(`child ${amqpPass}`);
  assert.equal(captured.lines.length, 7);
  for (const line of captured.lines) {
    for (const secret of [token, apiKey, amqpPass, encodeURIComponent(amqpPass)]) {
      assert.ok(!line.includes(secret), `secret leaked in: ${line}`);
    }
  }
  assert.match(captured.lines[0] as string, /message with \[REDACTED\]/);
});

Deno.test("keys named like secrets are masked even when the value is not registered", () => {
  const captured = captureLogger();
  captured.logger.info("config", {
    token: "unregistered",
    api_key: "k",
    password: "p",
    name: "kept",
  });
  assert.deepEqual(captured.records()[0]?.attributes, {
    token: "[REDACTED]",
    api_key: "[REDACTED]",
    password: "[REDACTED]",
    name: "kept",
  });
});

Deno.test("circular and exotic attribute values are logged without throwing", () => {
  const captured = captureLogger();
  const cyclic: Record<string, unknown> = { name: "loop" };
  cyclic.self = cyclic;
  captured.logger.info("odd", { cyclic, big: 10n, bytes: new Uint8Array(3), when: FIXED });
  assert.deepEqual(captured.records()[0]?.attributes, {
    cyclic: { name: "loop", self: "[Circular]" },
    big: "10",
    bytes: "[3 bytes]",
    when: "2025-11-02T10:00:00.123Z",
  });
});

Deno.test("formatTimestamp() gives microsecond precision with a Z suffix", () => {
  assert.equal(formatTimestamp(FIXED), "2025-11-02T10:00:00.123000Z");
});

Deno.test("child() keeps the connector's name and adds the component as an attribute", () => {
  const captured = captureLogger({ name: "Silent Push - Enrichment" });
  captured.logger.child("opencti").info("call", { operation: "about" });
  captured.logger.named("Other").child("broker").warning("cut");
  const [first, second] = captured.records();
  assert.equal(first!.name, "Silent Push - Enrichment");
  assert.deepEqual(first!.attributes, { component: "opencti", operation: "about" });
  assert.equal(second!.name, "Other");
  assert.deepEqual(second!.attributes, { component: "broker" });
});
