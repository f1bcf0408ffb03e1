import assert from "node:assert/strict";
import { ConfigError } from "../errors/mod.ts";
import { defaultConfigPaths, parseConfigYaml, readConfigSource } from "./source.ts";

Deno.test("a YAML syntax error names the file, line and column", () => {
  assert.throws(
    () => parseConfigYaml("opencti:\n  url: x\n   token: y\n", "config.yml"),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(
        error.message,
        /^Cannot read config file "config\.yml":\n {2}- config\.yml: line \d+, column \d+: \w/,
      );
      return true;
    },
  );
});

Deno.test("a YAML document that is not a mapping is refused; an empty one is {}", () => {
  assert.throws(() => parseConfigYaml("- a\n- b\n", "c.yml"), /the document must be a mapping/);
  assert.deepEqual(parseConfigYaml("", "c.yml"), {});
  assert.deepEqual(parseConfigYaml("# only a comment\n", "c.yml"), {});
});

Deno.test("an explicit config path must exist; a default one may be absent", async () => {
  await assert.rejects(
    readConfigSource("/nonexistent/opencti-enrich.yml"),
    /Cannot read config file "\/nonexistent\/opencti-enrich\.yml":\n {2}- .*: no such file/,
  );
  assert.deepEqual(await readConfigSource(undefined, ["/nonexistent/config.yml"]), { yaml: {} });
});

Deno.test("the first existing default path is read", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/config.yml`, "connector: { name: Found }\n");
    const source = await readConfigSource(undefined, [
      "/nonexistent/config.yml",
      `${dir}/config.yml`,
    ]);
    assert.equal(source.path, `${dir}/config.yml`);
    assert.deepEqual(source.yaml, { connector: { name: "Found" } });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("default paths look next to a compiled binary, then in the working directory", () => {
  assert.deepEqual(defaultConfigPaths("/opt/enrich/opencti-enrich", "/srv"), [
    "/opt/enrich/config.yml",
    "/srv/config.yml",
  ]);
  assert.deepEqual(defaultConfigPaths("/usr/bin/deno", "/srv"), ["/srv/config.yml"]);
});
