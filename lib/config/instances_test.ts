import assert from "node:assert/strict";
import { buildConfig, vendorSettingsOf } from "./load.ts";
import { parseConfigYaml } from "./source.ts";
import { ALPHA_VENDOR, BETA_VENDOR, envFrom, issuesOf, TEST_ID, TEST_VENDORS } from "./testing.ts";

const OPENCTI = 'opencti: { url: "http://octi:8080", token: "octi-token-0123456789" }\n';

function build(yamlText: string, env: Record<string, string>) {
  return buildConfig({
    yaml: parseConfigYaml(OPENCTI + yamlText, "config.yml"),
    env: envFrom(env),
    vendors: TEST_VENDORS,
  });
}

Deno.test("CONNECTOR_ID is required: unset or empty, it is an issue that says what the id is for", async () => {
  const expected =
    "- connector.id (CONNECTOR_ID): is required: set it to a UUIDv4 of your own (e.g. from uuidgen) and keep it across restarts; it names the connector's queues, so two deployments with one id would share a queue";
  for (const env of [{}, { CONNECTOR_ID: "" }, { CONNECTOR_ID: "  " }]) {
    const issues = await issuesOf(build("", { ALPHA_API_KEY: "alpha-key-1", ...env }));
    assert.deepEqual(issues, [expected], JSON.stringify(env));
  }
});

Deno.test("each connectors: entry needs its own id", async () => {
  const issues = await issuesOf(build(
    'alpha: { api_key: "alpha-key-1" }\nconnectors:\n  - { vendor: alpha }\n',
    {},
  ));
  assert.deepEqual(issues, [
    "- connectors[0].id: is required: set it to a UUIDv4 of your own (e.g. from uuidgen) and keep it across restarts; it names the connector's queues, so two deployments with one id would share a queue",
  ]);
});

Deno.test("a placeholder API key is reported on the key's own env var, not as a missing vendor", async () => {
  const issues = await issuesOf(build("", { CONNECTOR_ID: TEST_ID, ALPHA_API_KEY: "ChangeMe" }));
  assert.deepEqual(issues, [
    '- alpha.api_key (ALPHA_API_KEY): is required; "ChangeMe" is the sample placeholder, not a value',
  ]);
});

Deno.test("a real key wins the vendor inference over a placeholder in another section", async () => {
  const config = await build("", {
    CONNECTOR_ID: TEST_ID,
    ALPHA_API_KEY: "ChangeMe",
    BETA_INTEL_API_KEY: "beta-key-real",
  });
  assert.equal(config.instances[0]?.vendor, "beta");
});

Deno.test("without any API key the vendor issue names each vendor's key env var", async () => {
  const issues = await issuesOf(build("", { CONNECTOR_ID: TEST_ID }));
  assert.deepEqual(issues, [
    '- connector.vendor (CONNECTOR_VENDOR): is required: no vendor section has an API key (set ALPHA_API_KEY or BETA_INTEL_API_KEY); set it to one of "alpha", "beta"',
  ]);
});

Deno.test("each instance carries its vendor's max TLP, parsed, from the vendor's own key", async () => {
  const config = await build(
    [
      'alpha: { api_key: "alpha-key-1", max_tlp: "tlp:green" }',
      'beta_intel: { api_key: "beta-key-1" }',
      "connectors:",
      `  - { vendor: alpha, id: "${TEST_ID}" }`,
      '  - { vendor: beta, id: "6b6b6b6b-0000-4000-8000-000000000006" }',
      "",
    ].join("\n"),
    {},
  );
  assert.deepEqual(config.instances.map((instance) => instance.maxTlp), [
    "TLP:GREEN",
    "TLP:AMBER+STRICT",
  ]);
});

Deno.test("vendorSettingsOf() returns a vendor's validated section with its types", async () => {
  const config = await build('beta_intel: { api_key: "beta-key-1", window: P7D }\n', {
    CONNECTOR_ID: TEST_ID,
  });
  const beta = vendorSettingsOf(config, BETA_VENDOR);
  assert.equal(beta.window, "P7D");
  assert.throws(() => vendorSettingsOf(config, ALPHA_VENDOR), /No connector instance .* "alpha"/);
});
