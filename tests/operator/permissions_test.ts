/**
 * The permission flags live once, in the deno.json `dev` and `compile`
 * tasks: every env var the configuration reads is allowed there, a CA bundle
 * can be read wherever it is, and nothing else in the repository restates
 * the flags (everything that starts the program reads them from deno.json).
 */

import assert from "node:assert/strict";
import { CORE_SECTIONS, envName } from "../../lib/config/mod.ts";
import { VENDORS } from "../../lib/vendors/mod.ts";
import denoJson from "../../deno.json" with { type: "json" };
import { allowedEnvPatterns, permissionFlags } from "../support/connector_process.ts";

const ROOT = new URL("../../", import.meta.url);

function allows(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) =>
    pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : pattern === name
  );
}

Deno.test("permissions: dev and compile grant the same flags", () => {
  assert.deepEqual(permissionFlags("compile"), permissionFlags("dev"));
  assert.ok(permissionFlags("dev").length > 0);
});

Deno.test("permissions: every env var of every setting is allowed by --allow-env in dev and compile", () => {
  const sections = [...CORE_SECTIONS, ...VENDORS.map((vendor) => vendor.section)];
  for (const task of ["dev", "compile"] as const) {
    const patterns = allowedEnvPatterns(task);
    for (const section of sections) {
      for (const [key, setting] of Object.entries(section.settings)) {
        for (
          const name of [envName(section.name, key, setting), ...(setting.meta.envFallbacks ?? [])]
        ) {
          assert.ok(
            allows(patterns, name),
            `${task}: ${name} (${section.name}.${key}) is not allowed`,
          );
        }
      }
    }
  }
});

Deno.test("permissions: each vendor's env prefix is allowed as a whole", () => {
  for (const task of ["dev", "compile"] as const) {
    const patterns = allowedEnvPatterns(task);
    for (const vendor of VENDORS) {
      const prefix = `${vendor.section.name.toUpperCase()}_*`;
      assert.ok(
        patterns.includes(prefix),
        `${task}: --allow-env lacks ${prefix} (${vendor.title})`,
      );
    }
  }
});

Deno.test("permissions: files are read anywhere (a CA bundle's path is the operator's), nothing is written or run", () => {
  const flags = permissionFlags("dev");
  assert.ok(flags.includes("--allow-read"), "--allow-read without a list");
  for (const forbidden of ["--allow-write", "--allow-run", "--allow-all", "-A", "--allow-ffi"]) {
    assert.ok(!flags.some((flag) => flag.startsWith(forbidden)), `${forbidden} is not granted`);
  }
  assert.ok(flags.includes("--ignore-env"), "other env vars read as unset, not as a crash");
  assert.doesNotMatch(denoJson.tasks.dev.command, /--config/, "dev works with env vars alone");
});

Deno.test("permissions: nothing outside deno.json restates the flags", async () => {
  const envFlag = permissionFlags("dev").find((flag) => flag.startsWith("--allow-env="))!;
  const files = [
    "tests/support/connector_process.ts",
    "tests/cli_test.ts",
    "bench/connector.ts",
    "tools/sandbox.ts",
    ".ci/run",
    "README.md",
    "Dockerfile",
  ];
  for (const file of files) {
    const text = await Deno.readTextFile(new URL(file, ROOT));
    assert.ok(!text.includes("--allow-env=OPENCTI"), `${file} restates --allow-env`);
    assert.ok(!text.includes(envFlag), `${file} restates ${envFlag}`);
  }
});
