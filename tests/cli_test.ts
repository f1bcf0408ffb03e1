/**
 * The command line as a user meets it: `main.ts` in a child process with the
 * permissions of the deno.json `dev` task (read from deno.json), a clean
 * environment, its output and its exit code.
 */

import assert from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import { startFakeOpenCti } from "./fake_opencti/mod.ts";
import { SILENTPUSH_FIXTURE_VALUES, startFakeSilentPush } from "./fake_vendors/silentpush.ts";
import { childEnv, runProgram, writeConfigFile } from "./support/connector_process.ts";
import { PlatformBroker } from "./support/platform_queues.ts";

const ROOT = new URL("../", import.meta.url);
const SAMPLE = new URL("../config.yml.sample", import.meta.url).pathname;
const COMMANDS = ["run", "check", "enrich", "schema", "version", "help"];

Deno.test("cli: version and --version print the version and the supported OpenCTI versions", async () => {
  for (const args of [["version"], ["--version"]]) {
    const result = await runProgram(args);
    assert.equal(result.code, 0, result.stderr);
    const [first, second] = result.stdout.trim().split("\n");
    assert.equal(first, `opencti-enrich ${denoJson.version}`);
    assert.match(second ?? "", /^Supports OpenCTI 6\.8\.0 and later/);
  }
});

Deno.test("cli: --help and help list every command with an example", async () => {
  for (const args of [["--help"], ["help"], ["-h"]]) {
    const result = await runProgram(args);
    assert.equal(result.code, 0, result.stderr);
    for (const command of COMMANDS) {
      assert.match(result.stdout, new RegExp(`^  ${command} `, "m"), `${args}: ${command}`);
    }
    const examples = result.stdout.split("\n").filter((line) => /^ {14}opencti-enrich /.test(line));
    assert.ok(examples.length >= COMMANDS.length, "one example per command");
  }
});

Deno.test("cli: help COMMAND and COMMAND --help print that command's own help with an example", async () => {
  for (const command of ["run", "check", "enrich", "schema"]) {
    const [viaHelp, viaFlag] = [
      await runProgram(["help", command]),
      await runProgram([command, "--help"]),
    ];
    assert.equal(viaHelp.code, 0);
    assert.equal(viaHelp.stdout, viaFlag.stdout, command);
    const usage = command === "run" ? "[run]" : command;
    assert.match(
      viaHelp.stdout,
      new RegExp(`^Usage: opencti-enrich ${usage.replace(/[[\]]/g, "\\$&")}`),
    );
    assert.match(viaHelp.stdout, /^Example: /m, command);
  }
});

Deno.test("cli: an unknown command or option is a usage error (exit 2) that points to help", async () => {
  const command = await runProgram(["bogus"]);
  assert.equal(command.code, 2);
  assert.match(command.stderr, /Unknown command "bogus"; run "opencti-enrich help"/);
  const option = await runProgram(["check", "--frobnicate"]);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /frobnicate.*run "opencti-enrich check --help"/);
});

Deno.test("cli: check on the sample config names every missing key in plain words and exits 2", async () => {
  const result = await runProgram(["check", "--config", SAMPLE]);
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(
    result.stdout,
    /^FAIL\s+config\s+Invalid configuration \(config file ".*config\.yml\.sample"/m,
  );
  for (const env of ["OPENCTI_TOKEN", "CONNECTOR_ID", "SILENTPUSH_API_KEY"]) {
    assert.match(result.stdout, new RegExp(`\\(${env}\\): is required; "ChangeMe" is the sample`));
  }
});

Deno.test("cli: the environment fills what the sample leaves out (check --offline exits 0)", async () => {
  const result = await runProgram(["check", "--offline", "--config", SAMPLE], {
    env: {
      OPENCTI_TOKEN: "env-token-123",
      CONNECTOR_ID: crypto.randomUUID(),
      SILENTPUSH_API_KEY: "env-key-456",
    },
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^ok\s+config\s+valid \(config file ".*" and environment\)/m);
  assert.doesNotMatch(result.stdout + result.stderr, /env-token-123|env-key-456/);
});

Deno.test({
  name: "cli: deno task dev works with env vars alone, without a config.yml",
  ignore: existsSync(new URL("config.yml", ROOT)),
  async fn() {
    const output = await new Deno.Command(Deno.execPath(), {
      cwd: ROOT,
      args: ["task", "-q", "dev", "check", "--offline"],
      clearEnv: true,
      env: childEnv({
        OPENCTI_URL: "http://opencti.invalid:8080",
        OPENCTI_TOKEN: "env-token-123",
        CONNECTOR_ID: crypto.randomUUID(),
        SILENTPUSH_API_KEY: "env-key-456",
      }),
      stdin: "null",
    }).output();
    const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, text);
    assert.match(text, /^ok\s+config\s+valid \(environment only, no config file\)/m);
  },
});

Deno.test("cli: check passes every step of run against a platform, broker and vendor, and says it registers first", async () => {
  const platform = await PlatformBroker.open();
  await using octi = await startFakeOpenCti({ onRegister: (id) => platform.declare(id) });
  await using vendor = startFakeSilentPush();
  const connectorId = crypto.randomUUID();
  const path = await writeConfigFile({
    opencti: { url: octi.url, token: octi.token },
    connector: { id: connectorId, vendor: "silentpush" },
    silentpush: { api_base_url: vendor.url, api_key: vendor.apiKey },
  });
  try {
    const result = await runProgram(["check", "--config", path]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.ok(octi.connectors.has(connectorId), "check registered the connector");
    const lines = result.stdout.trim().split("\n").filter((line) => !line.startsWith(" "));
    assert.deepEqual(lines.map((line) => line.split(/\s+/).slice(0, 2).join(" ")), [
      "ok config",
      "Checking as",
      "ok silentpush",
      "ok platform",
      "ok register",
      "ok broker",
      "ok queue",
    ]);
    assert.match(lines[1]!, /registers the connector on OpenCTI \(as run does\)/);
    assert.equal(vendor.requests.length, 1, "one vendor request for the key");
  } finally {
    await Deno.remove(path);
    await platform.delete(connectorId);
    await platform.close();
  }
});

Deno.test("cli: schema prints the configuration's JSON schema, per vendor in catalog form", async () => {
  const whole = await runProgram(["schema"]);
  assert.equal(whole.code, 0);
  const schema = JSON.parse(whole.stdout);
  for (
    const section of ["opencti", "connector", "mq", "silentpush", "proofpoint_et_intelligence"]
  ) {
    assert.ok(schema.properties?.[section], `section ${section}`);
  }
  const vendor = await runProgram(["schema", "--vendor", "proofpoint-et"]);
  assert.equal(vendor.code, 0);
  const catalog = JSON.parse(vendor.stdout);
  assert.ok(catalog.properties.PROOFPOINT_ET_INTELLIGENCE_API_KEY);
  assert.ok(catalog.required.includes("OPENCTI_TOKEN"));
});

Deno.test("cli: enrich previews the bundle for one observable, says how many it would send, sends nothing", async () => {
  await using vendor = startFakeSilentPush();
  const value = Object.keys(SILENTPUSH_FIXTURE_VALUES.ipv4)[0]!;
  const result = await runProgram(["enrich", "--vendor", "silentpush", "ipv4-addr", value], {
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
  assert.match(
    result.stderr,
    new RegExp(
      `^enriched: would send ${bundle.objects.length} bundles .*this preview sent nothing`,
      "m",
    ),
  );
  assert.doesNotMatch(result.stdout + result.stderr, new RegExp(vendor.apiKey));
});

Deno.test("cli: enrich refuses a value that is not of its type before asking the vendor (exit 2)", async () => {
  await using vendor = startFakeSilentPush();
  const cases: Array<[string, string, RegExp]> = [
    ["ipv4-addr", "not-an-ip", /Cannot enrich IPv4-Addr "not-an-ip": not an IPv4 address/],
    ["ipv4-addr", "999.999.999.999", /not an IPv4 address/],
    [
      "domain-name",
      "bad\r\nname.example",
      /Domain-Name "bad\\r\\nname\.example": it holds control/,
    ],
    ["url", "ftp://example.com/x", /not an http or https URL/],
  ];
  for (const [type, value, message] of cases) {
    const result = await runProgram(["enrich", "--vendor", "silentpush", type, value], {
      env: { SILENTPUSH_API_KEY: vendor.apiKey, SILENTPUSH_API_BASE_URL: vendor.url },
    });
    assert.equal(result.code, 2, `${value}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  assert.equal(vendor.requests.length, 0, "the vendor was never asked");
});

Deno.test("cli: enrich with a refused key is a configuration error naming the key's env var (exit 2)", async () => {
  await using vendor = startFakeSilentPush();
  const result = await runProgram(["enrich", "--vendor", "silentpush", "ipv4-addr", "192.0.2.1"], {
    env: { SILENTPUSH_API_KEY: "not-the-key-2468", SILENTPUSH_API_BASE_URL: vendor.url },
  });
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(
    result.stderr,
    /^Silent Push refused the API key:\n {2}- silentpush\.api_key \(SILENTPUSH_API_KEY\): was refused/m,
  );
  assert.doesNotMatch(result.stderr, /not-the-key-2468/);
});

function existsSync(url: URL): boolean {
  try {
    Deno.statSync(url);
    return true;
  } catch {
    return false;
  }
}
