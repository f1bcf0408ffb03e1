/**
 * The README's troubleshooting table is complete and checked: every row is
 * replayed by one of the operator scenarios, and its cells can be read.
 */

import assert from "node:assert/strict";
import { messagePattern, troubleshootingRows } from "./_troubleshooting.ts";

Deno.test("troubleshooting: every row of the README's table is replayed by an operator scenario", async () => {
  const rows = await troubleshootingRows();
  assert.ok(rows.size >= 12, `the table has its rows (${rows.size})`);
  const sources: string[] = [];
  for await (const entry of Deno.readDir(new URL("./", import.meta.url))) {
    if (entry.name.endsWith("_test.ts") && entry.name !== "troubleshooting_test.ts") {
      sources.push(await Deno.readTextFile(new URL(entry.name, import.meta.url)));
    }
  }
  const scenarios = sources.join("\n").replace(/\s*\n\s*/g, " ");
  for (const when of rows.keys()) {
    assert.ok(scenarios.includes(JSON.stringify(when)), `no scenario replays "${when}"`);
  }
});

Deno.test("troubleshooting: a row's message matches literally, with … standing for one line's varying part", () => {
  const pattern = messagePattern('port … is already in use on …; choose "another"');
  assert.match('port 9095 is already in use on 0.0.0.0; choose "another"', pattern);
  assert.doesNotMatch("port 9095 is already in use\non 0.0.0.0; choose", pattern);
  assert.doesNotMatch('port 9095 is in use on 0.0.0.0; choose "another"', pattern);
});
