/**
 * config.yml.sample stays in step with the configuration schema: every key it
 * shows, set or commented out, is a setting of its section, and uncommented
 * as a whole it is a configuration the loader accepts.
 */

import assert from "node:assert/strict";
import { parse } from "yaml";
import { buildConfig, CONNECTOR_SECTION, MQ_SECTION, OPENCTI_SECTION } from "../lib/config/mod.ts";
import { VENDORS } from "../lib/vendors/mod.ts";

const SAMPLE = await Deno.readTextFile(new URL("../config.yml.sample", import.meta.url));

const SECTIONS = new Map<string, readonly string[]>([
  ...[OPENCTI_SECTION, CONNECTOR_SECTION, MQ_SECTION].map((section) =>
    [section.name, Object.keys(section.settings)] as const
  ),
  ...VENDORS.map((vendor) => [vendor.section.name, Object.keys(vendor.section.settings)] as const),
]);

/** `[section, key]` of every `key: value` line of a section, commented out or not. */
function sampleKeys(text: string): Array<[string, string]> {
  const keys: Array<[string, string]> = [];
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^#( |$)/, "");
    const top = /^([a-z_]+):\s*(#.*)?$/.exec(line);
    if (top) section = top[1]!;
    const nested = /^ {2}#? ?([a-z_]+):/.exec(line);
    if (nested && section !== "connectors") keys.push([section, nested[1]!]);
  }
  return keys;
}

Deno.test("every key config.yml.sample shows, commented out or not, is a setting of its section", () => {
  const keys = sampleKeys(SAMPLE);
  assert.ok(keys.length > 20, `the sample's keys were read (${keys.length})`);
  for (const [section, key] of keys) {
    const known = SECTIONS.get(section);
    assert.ok(known, `the sample's section "${section}" is a configuration section`);
    assert.ok(known.includes(key), `${section}.${key} in the sample is not a setting`);
  }
});

Deno.test("config.yml.sample with every line uncommented and its placeholders filled is accepted, for each vendor", async () => {
  const uncommented = SAMPLE.split("\n")
    .map((line) => line.replace(/^(\s*)# ?(?=[a-z_]+:)/, "$1").replace(/^# ?(?= {2}[a-z_]+:)/, ""))
    .join("\n")
    .replaceAll('id: "ChangeMe"', 'id: "5a0d1e6c-8f3b-4c55-9a8e-2b7f4d3c1e90"')
    .replaceAll('"ChangeMe"', '"sample-secret-value-1"');
  const yaml = parse(uncommented) as Record<string, unknown>;
  delete yaml.connectors; // the alternative to the single connector, shown commented out
  for (const vendor of VENDORS) {
    // A vendor's section is validated when a connector runs that vendor.
    const connector = {
      ...(yaml.connector as Record<string, unknown>),
      vendor: vendor.name,
      scope: vendor.defaults.scope.join(","),
    };
    const config = await buildConfig({
      yaml: { ...yaml, connector },
      env: () => undefined,
      vendors: VENDORS,
      readFile: () => Promise.resolve(PEM),
    });
    assert.equal(config.instances[0]?.vendor, vendor.name);
    assert.equal(config.runtime.cache.url, "redis://redis:6379/0");
  }
});

/** What the loader is given for the sample's CA bundle path. */
const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
