// Over 300 lines: the loader's resolution rules, one test each (topics of their own are in *_test.ts beside it).
import assert from "node:assert/strict";
import { ConfigError } from "../errors/mod.ts";
import { buildConfig } from "./load.ts";
import { parseConfigYaml } from "./source.ts";
import { ALPHA_VENDOR, envFrom, TEST_ID, TEST_VENDORS } from "./testing.ts";

const TOKEN = "octi-token-0123456789";
const KEY = "alpha-key-secret-42";

/** Builds from YAML text and env; a connector id is supplied unless the YAML sets ids itself. */
function build(yamlText: string, env: Record<string, string> = {}) {
  const setsIds = /\bid:|connectors:/.test(yamlText);
  return buildConfig({
    yaml: parseConfigYaml(yamlText, "config.yml"),
    env: envFrom(setsIds ? env : { CONNECTOR_ID: TEST_ID, ...env }),
    vendors: TEST_VENDORS,
    sourcePath: "config.yml",
  });
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    return error;
  }
  assert.fail("expected a ConfigError");
}

const MINIMAL = `
opencti: { url: "http://octi:8080", token: "${TOKEN}" }
alpha: { api_key: "${KEY}" }
`;

Deno.test("an env var beats the YAML key, which beats the default", async () => {
  const yaml = `${MINIMAL}connector: { name: "From YAML", concurrency: 4 }\n`;
  const fromYaml = await build(yaml);
  assert.equal(fromYaml.instances[0]?.name, "From YAML");
  assert.equal(fromYaml.runtime.concurrency, 4);
  assert.equal(fromYaml.runtime.metrics.port, 9095, "default applies when neither is set");

  const fromEnv = await build(yaml, { CONNECTOR_NAME: "From env", CONNECTOR_CONCURRENCY: "16" });
  assert.equal(fromEnv.instances[0]?.name, "From env");
  assert.equal(fromEnv.runtime.concurrency, 16);
});

Deno.test("an env var set to the empty string wins over YAML and means the default", async () => {
  const yaml = `${MINIMAL}connector: { name: "From YAML", auto: true }\n`;
  const config = await build(yaml, { CONNECTOR_NAME: "", CONNECTOR_AUTO: "" });
  assert.equal(config.instances[0]?.name, "Alpha", "vendor default name, not the YAML value");
  assert.equal(config.instances[0]?.auto, false, "vendor default, not the YAML true");
});

Deno.test("an empty env var for an integer key is an error, as pycti's int('') is", async () => {
  const error = await configError(build(MINIMAL, { CONNECTOR_METRICS_PORT: "" }));
  assert.match(
    error.message,
    /connector\.metrics_port \(CONNECTOR_METRICS_PORT\): must be an integer, got an empty value/,
  );
});

Deno.test("boolean keys accept exactly pycti's strings", async () => {
  for (
    const [text, expected] of [["yes", true], ["true", true], ["True", true], ["no", false], [
      "false",
      false,
    ], ["False", false]] as const
  ) {
    assert.equal(
      (await build(MINIMAL, { CONNECTOR_AUTO: text })).instances[0]?.auto,
      expected,
      text,
    );
  }
  for (const text of ["TRUE", "1", "on"]) {
    const error = await configError(build(MINIMAL, { CONNECTOR_AUTO: text }));
    assert.match(
      error.message,
      new RegExp(`connector\\.auto \\(CONNECTOR_AUTO\\): must be a boolean .*got "${text}"`),
    );
  }
});

Deno.test("YAML scalars keep their YAML types, and a number where a string belongs is refused", async () => {
  const config = await build(`${MINIMAL}connector: { auto: true, metrics_port: "9100" }\n`);
  assert.equal(config.instances[0]?.auto, true);
  assert.equal(
    config.runtime.metrics.port,
    9100,
    "numeric strings are parsed as pycti's int() does",
  );
  const error = await configError(build(`${MINIMAL}connector: { id: 12345 }\n`));
  assert.match(error.message, /connector\.id \(CONNECTOR_ID\): must be a string, got 12345/);
});

Deno.test("the scope is split on commas, trimmed, and empty items dropped", async () => {
  const config = await build(MINIMAL, { CONNECTOR_SCOPE: " IPv4-Addr, IPv6-Addr,,Url " });
  assert.deepEqual(config.instances[0]?.scope, ["IPv4-Addr", "IPv6-Addr", "Url"]);
  const yamlList = await build(`${MINIMAL}connector: { scope: [ "IPv6-Addr", " Url " ] }\n`);
  assert.deepEqual(yamlList.instances[0]?.scope, ["IPv6-Addr", "Url"]);
});

Deno.test("every missing required key is reported at once with its env var", async () => {
  const error = await configError(build("", { CONNECTOR_VENDOR: "alpha" }));
  const paths = error.issues.map((issue) => `${issue.path}|${issue.env}`);
  assert.deepEqual(paths.sort(), [
    "alpha.api_key|ALPHA_API_KEY",
    "opencti.token|OPENCTI_TOKEN",
    "opencti.url|OPENCTI_URL",
  ]);
  assert.match(error.message, /opencti\.url \(OPENCTI_URL\): is required/);
});

Deno.test("a wrong type and a bad value are reported with the offending value", async () => {
  const error = await configError(build(MINIMAL, {
    CONNECTOR_CONCURRENCY: "many",
    OPENCTI_URL: "ftp://octi",
    ALPHA_MAX_TLP: "TLP:PURPLE",
  }));
  assert.equal(error.issues.length, 3);
  assert.match(error.message, /CONNECTOR_CONCURRENCY\): must be an integer, got "many"/);
  assert.match(error.message, /OPENCTI_URL\): must be an http\(s\) URL, got "ftp:\/\/octi"/);
  assert.match(error.message, /ALPHA_MAX_TLP\): must be one of "TLP:CLEAR", .*got "TLP:PURPLE"/);
});

Deno.test("enum values are matched case-insensitively and normalised", async () => {
  const config = await build(MINIMAL, {
    ALPHA_MAX_TLP: "tlp:amber+strict",
    CONNECTOR_LOG_LEVEL: "WARN",
  });
  assert.equal(config.vendorSettings.alpha?.max_tlp, "TLP:AMBER+STRICT");
  assert.equal(config.runtime.logLevel, "warning");
});

Deno.test("an unknown vendor is refused with the list of known ones", async () => {
  const error = await configError(build(MINIMAL, { CONNECTOR_VENDOR: "virustotal" }));
  assert.match(
    error.message,
    /connector\.vendor \(CONNECTOR_VENDOR\): unknown vendor "virustotal"; known vendors: "alpha", "beta"/,
  );
});

Deno.test("the vendor is inferred when exactly one vendor section has an API key", async () => {
  assert.equal((await build(MINIMAL)).instances[0]?.vendor, "alpha");
  assert.equal(
    (await build(MINIMAL, { CONNECTOR_VENDOR: "Alpha-Intel" })).instances[0]?.vendor,
    "alpha",
    "aliases work",
  );
  const both = await configError(build(MINIMAL, { BETA_INTEL_API_KEY: "beta-key-0000" }));
  assert.match(both.message, /several vendor sections have an API key \(alpha, beta\)/);
  const none = await configError(build(`opencti: { url: "http://x", token: "${TOKEN}" }`));
  assert.match(none.message, /no vendor section has an API key/);
});

Deno.test("vendor defaults fill the connector's name, scope and auto, never its id", async () => {
  const config = await build(MINIMAL, {
    BETA_INTEL_API_KEY: "beta-key-0000",
    CONNECTOR_VENDOR: "beta",
  });
  const instance = config.instances[0];
  assert.equal(instance?.id, TEST_ID);
  assert.equal(instance?.name, "Beta");
  assert.deepEqual(instance?.scope, ["Domain-Name", "StixFile"]);
  assert.equal(instance?.auto, true);
  assert.equal(config.vendorSettings.beta?.window, "P30D");
  assert.equal(config.vendorSettings.alpha, undefined, "sections of unused vendors are not loaded");
});

Deno.test("a connectors: list runs several instances, each with its own settings", async () => {
  const config = await build(`
opencti: { url: "http://octi:8080/", token: "${TOKEN}" }
connector: { concurrency: 12 }
alpha: { api_key: "${KEY}" }
beta_intel: { api_key: "beta-key-0000", window: P7D }
connectors:
  - { id: "11111111-1111-4111-8111-111111111111", vendor: alpha, scope: "IPv4-Addr,Url" }
  - { id: "22222222-2222-4222-8222-222222222222", vendor: beta, name: "Beta prod", auto: false }
`);
  assert.equal(config.opencti.url, "http://octi:8080", "trailing slash removed");
  assert.equal(config.runtime.concurrency, 12);
  assert.deepEqual(config.instances.map((i) => [i.id, i.vendor, i.name, i.scope, i.auto]), [
    ["11111111-1111-4111-8111-111111111111", "alpha", "Alpha", ["IPv4-Addr", "Url"], false],
    [
      "22222222-2222-4222-8222-222222222222",
      "beta",
      "Beta prod",
      ["Domain-Name", "StixFile"],
      false,
    ],
  ]);
  assert.equal(config.vendorSettings.beta?.window, "P7D");
});

Deno.test("a connectors: list refuses duplicate ids and per-connector env vars", async () => {
  const error = await configError(build(
    `
${MINIMAL}
connectors:
  - { id: "same", vendor: alpha }
  - { id: "same", vendor: alpha }
  - { vendor: nope }
`,
    { CONNECTOR_ID: "env-id" },
  ));
  const text = error.message;
  assert.match(
    text,
    /connector\.id \(CONNECTOR_ID\): is set in the environment but the config file defines a connectors: list/,
  );
  assert.match(text, /connectors\[2\]\.vendor: unknown vendor "nope"/);
  assert.match(text, /connectors\[1\]\.id: duplicates the id of connectors\[0\] \("same"\)/);
});

Deno.test("the deprecated alias is used only when the main key is unset, with a warning", async () => {
  const aliased = await build(MINIMAL, { ALPHA_MAX_TLP_LEVEL: "TLP:CLEAR" });
  assert.equal(aliased.vendorSettings.alpha?.max_tlp, "TLP:CLEAR");
  assert.ok(
    aliased.warnings.some((w) => /ALPHA_MAX_TLP_LEVEL .* is deprecated; use ALPHA_MAX_TLP/.test(w)),
  );
  const both = await build(MINIMAL, { ALPHA_MAX_TLP_LEVEL: "TLP:CLEAR", ALPHA_MAX_TLP: "TLP:RED" });
  assert.equal(both.vendorSettings.alpha?.max_tlp, "TLP:RED");
});

Deno.test("QUEUE_PROTOCOL still works as the deprecated name of CONNECTOR_QUEUE_PROTOCOL", async () => {
  const config = await build(MINIMAL, { QUEUE_PROTOCOL: "amqp" });
  assert.ok(config.warnings.some((w) => w.includes("QUEUE_PROTOCOL is deprecated")));
  const error = await configError(build(MINIMAL, { CONNECTOR_QUEUE_PROTOCOL: "api" }));
  assert.match(
    error.message,
    /connector\.queue_protocol \(CONNECTOR_QUEUE_PROTOCOL\): must be one of "amqp"/,
  );
});

Deno.test("the vendor section is checked even when the connector section is invalid", async () => {
  const yaml = `
opencti: { url: "http://octi:8080", token: "${TOKEN}" }
connector: { vendor: alpha, id: "ChangeMe", concurrency: "many" }
alpha: { api_key: "ChangeMe" }
`;
  const paths = (await configError(build(yaml))).issues.map((issue) => issue.path);
  assert.deepEqual(paths.sort(), ["alpha.api_key", "connector.concurrency", "connector.id"]);
});

Deno.test("placeholder secrets count as missing", async () => {
  const error = await configError(build(MINIMAL, { OPENCTI_TOKEN: "ChangeMe" }));
  assert.match(
    error.message,
    /opencti\.token \(OPENCTI_TOKEN\): is required; "ChangeMe" is the sample placeholder/,
  );
});

Deno.test("no secret value ever appears in a config error", async () => {
  const error = await configError(build(
    `
opencti: { url: "http://octi", token: 12345678 }
alpha: { api_key: ["${KEY}"] }
mq: { pass: true }
`,
    { MQ_USE_SSL_PASSPHRASE: "" },
  ));
  assert.ok(error.issues.length >= 3);
  assert.ok(!error.message.includes(KEY));
  assert.ok(!error.message.includes("12345678"));
  const badUrl = await configError(
    build(MINIMAL, { ALPHA_API_BASE_URL: `https://x/?key=${KEY}`, OPENCTI_URL: "nope" }),
  );
  assert.ok(!badUrl.message.includes(TOKEN));
});

Deno.test("secrets are collected for the log redactor", async () => {
  const config = await build(MINIMAL, { MQ_PASS: "amqp-password-1" });
  assert.deepEqual(config.secrets.sort(), [KEY, "amqp-password-1", TOKEN].sort());
});

Deno.test("unknown keys in known sections are ignored with a warning", async () => {
  const config = await build(`${MINIMAL}connector: { confidence_level: 50 }\n`);
  assert.ok(
    config.warnings.includes("connector.confidence_level is not a known setting and is ignored"),
  );
});

Deno.test("durations are ISO-8601, a YAML integer means seconds, a bare string is refused", async () => {
  const env = { CONNECTOR_VENDOR: "beta", BETA_INTEL_API_KEY: "beta-key-0000" };
  assert.equal(
    (await build(`${MINIMAL}beta_intel: { window: 3600 }\n`, env)).vendorSettings.beta?.window,
    "PT3600S",
  );
  const error = await configError(build(MINIMAL, { ...env, BETA_INTEL_WINDOW: "30" }));
  assert.match(
    error.message,
    /beta_intel\.window \(BETA_INTEL_WINDOW\): must be an ISO-8601 duration/,
  );
});

Deno.test("a section that is not a mapping is refused", async () => {
  const error = await configError(build(`${MINIMAL}connector: "oops"\n`));
  assert.match(error.message, /connector: must be a mapping of keys to values/);
});

Deno.test("ALPHA descriptor names its section env vars from the section name", async () => {
  const config = await build(`opencti: { url: "http://octi", token: "${TOKEN}" }`, {
    ALPHA_API_KEY: KEY,
  });
  assert.equal(config.instances[0]?.vendor, ALPHA_VENDOR.name);
});
