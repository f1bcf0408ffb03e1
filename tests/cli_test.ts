/**
 * The command line as a user meets it: `main.ts` in a child process with the
 * permissions `deno task dev` grants, its output and its exit code.
 */

import assert from "node:assert/strict";
import { stringify } from "yaml";
import denoJson from "../deno.json" with { type: "json" };
import { startFakeOpenCti } from "./fake_opencti/mod.ts";
import { SILENTPUSH_FIXTURE_VALUES, startFakeSilentPush } from "./fake_vendors/silentpush.ts";

const ROOT = new URL("../", import.meta.url);
const SAMPLE = new URL("../config.yml.sample", import.meta.url).pathname;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main.ts` with the dev task's permission flags and a clean environment. */
async function cli(
  args: string[],
  options: { readable?: string; env?: Record<string, string> } = {},
) {
  const flags = [
    "--allow-net",
    "--allow-env=OPENCTI_*,CONNECTOR_*,MQ_*,SILENTPUSH_*,PROOFPOINT_ET_INTELLIGENCE_*",
    "--ignore-env",
    ...(options.readable ? [`--allow-read=${options.readable}`] : []),
  ];
  const output = await new Deno.Command(Deno.execPath(), {
    cwd: ROOT,
    args: ["run", "--quiet", ...flags, "main.ts", ...args],
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "", ...options.env },
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  } satisfies CliResult;
}

async function writeConfig(document: Record<string, unknown>): Promise<string> {
  const path = await Deno.makeTempFile({ prefix: "opencti-enrich-cli-", suffix: ".yml" });
  await Deno.writeTextFile(path, stringify(document));
  return path;
}

Deno.test("cli: version prints the product and the deno.json version", async () => {
  const result = await cli(["version"]);
  assert.equal(result.code, 0);
  assert.equal(result.stdout.trim(), `opencti-enrich ${denoJson.version}`);
});

Deno.test("cli: an unknown command or option is a usage error (exit 2) that points to help", async () => {
  const command = await cli(["bogus"]);
  assert.equal(command.code, 2);
  assert.match(command.stderr, /Unknown command "bogus"/);
  const option = await cli(["check", "--frobnicate"]);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /frobnicate/);
});

Deno.test("cli: check on the sample config names every missing key in plain words and exits 2", async () => {
  const result = await cli(["check", "--config", SAMPLE], { readable: SAMPLE });
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stdout, /^FAIL\s+config\s+Invalid configuration/m);
  for (const env of ["OPENCTI_TOKEN", "CONNECTOR_ID", "SILENTPUSH_API_KEY"]) {
    assert.match(result.stdout, new RegExp(`\\(${env}\\): is required; "ChangeMe" is the sample`));
  }
});

Deno.test("cli: the environment fills what the sample leaves out (check --offline exits 0)", async () => {
  const result = await cli(["check", "--offline", "--config", SAMPLE], {
    readable: SAMPLE,
    env: {
      OPENCTI_TOKEN: "env-token-123",
      CONNECTOR_ID: crypto.randomUUID(),
      SILENTPUSH_API_KEY: "env-key-456",
    },
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^ok\s+config\s+valid/m);
  assert.doesNotMatch(result.stdout + result.stderr, /env-token-123|env-key-456/);
});

Deno.test("cli: check passes every step against a reachable platform, broker and vendor", async () => {
  await using octi = await startFakeOpenCti();
  await using vendor = startFakeSilentPush();
  const connectorId = crypto.randomUUID();
  const path = await writeConfig({
    opencti: { url: octi.url, token: octi.token },
    connector: { id: connectorId, vendor: "silentpush" },
    silentpush: { api_base_url: vendor.url, api_key: vendor.apiKey },
  });
  try {
    const result = await cli(["check", "--config", path], { readable: path });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(octi.connectors.has(connectorId), "check registered the connector");
    const lines = result.stdout.trim().split("\n").filter((line) => !line.startsWith(" "));
    assert.deepEqual(lines.map((line) => line.split(/\s+/).slice(0, 2).join(" ")), [
      "ok config",
      "ok opencti",
      "ok version",
      "ok broker",
      "ok silentpush",
    ]);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("cli: check reports a refused token and a refused vendor key, exits 1, and prints neither", async () => {
  await using octi = await startFakeOpenCti();
  await using vendor = startFakeSilentPush();
  const badToken = "wrong-token-98765";
  const badKey = "wrong-vendor-key-13579";
  const path = await writeConfig({
    opencti: { url: octi.url, token: badToken },
    connector: { id: crypto.randomUUID(), vendor: "silentpush" },
    silentpush: { api_base_url: vendor.url, api_key: badKey },
  });
  try {
    const result = await cli(["check", "--config", path], { readable: path });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /^FAIL\s+opencti\s+\S/m);
    assert.match(result.stdout, /^FAIL\s+silentpush\s+.*(401|key|auth)/im);
    assert.doesNotMatch(result.stdout, /^ok\s+broker/m, "nothing registers with a refused token");
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(`${badToken}|${badKey}`));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("cli: check says which platform it could not reach", async () => {
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = closed.addr.port;
  closed.close();
  const path = await writeConfig({
    opencti: { url: `http://127.0.0.1:${port}`, token: "some-token-1" },
    connector: { id: crypto.randomUUID(), vendor: "silentpush" },
    silentpush: { api_base_url: `http://127.0.0.1:${port}/api/v2/`, api_key: "some-key-1" },
  });
  try {
    const result = await cli(["check", "--config", path], { readable: path });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`^FAIL\\s+opencti\\s+.*127\\.0\\.0\\.1:${port}`, "m"));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("cli: schema prints the configuration's JSON schema, per vendor in catalog form", async () => {
  const whole = await cli(["schema"]);
  assert.equal(whole.code, 0);
  const schema = JSON.parse(whole.stdout);
  for (
    const section of ["opencti", "connector", "mq", "silentpush", "proofpoint_et_intelligence"]
  ) {
    assert.ok(schema.properties?.[section], `section ${section}`);
  }
  const vendor = await cli(["schema", "--vendor", "proofpoint-et"]);
  assert.equal(vendor.code, 0);
  const catalog = JSON.parse(vendor.stdout);
  assert.ok(catalog.properties.PROOFPOINT_ET_INTELLIGENCE_API_KEY);
  assert.ok(catalog.required.includes("OPENCTI_TOKEN"));
});

Deno.test("cli: enrich previews the bundle for one observable without OpenCTI", async () => {
  await using vendor = startFakeSilentPush();
  const value = Object.keys(SILENTPUSH_FIXTURE_VALUES.ipv4)[0]!;
  const result = await cli(["enrich", "--vendor", "silentpush", "ipv4-addr", value], {
    env: { SILENTPUSH_API_KEY: vendor.apiKey, SILENTPUSH_API_BASE_URL: vendor.url },
  });
  assert.equal(result.code, 0, result.stderr);
  const bundle = JSON.parse(result.stdout);
  assert.equal(bundle.type, "bundle");
  assert.ok(
    bundle.objects.some((o: { type: string; value?: string }) =>
      o.type === "ipv4-addr" && o.value === value
    ),
  );
  assert.ok(bundle.objects.length > 1, "the vendor's findings are in the bundle");
  assert.match(result.stderr, /^enriched: /m);
  assert.doesNotMatch(result.stdout + result.stderr, new RegExp(vendor.apiKey));
});

Deno.test("cli: enrich with a refused key fails with exit 1 and a clear message", async () => {
  await using vendor = startFakeSilentPush();
  const result = await cli(["enrich", "--vendor", "silentpush", "ipv4-addr", "192.0.2.1"], {
    env: { SILENTPUSH_API_KEY: "not-the-key-2468", SILENTPUSH_API_BASE_URL: vendor.url },
  });
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stderr, /^Error: .*(401|key|auth)/im);
  assert.doesNotMatch(result.stderr, /not-the-key-2468/);
});
