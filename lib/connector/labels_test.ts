import assert from "node:assert/strict";
import { boundLabels, cleanLabel } from "./labels.ts";
import type { EnrichmentNotice } from "../vendors/mod.ts";

Deno.test("cleanLabel() drops control characters, folds white space and cuts to the limit", () => {
  assert.equal(cleanLabel("  a\n\u0000<b>\t c ", 50), "a <b> c");
  assert.equal(cleanLabel("x".repeat(1_000_000), 128).length, 128);
  assert.equal(cleanLabel("\u0000\u200b\n", 10), "");
});

Deno.test("boundLabels() creates each distinct label once, at most max_labels, and reports the rest", async () => {
  const created: string[] = [];
  const labels = boundLabels((value) => {
    created.push(value);
    return Promise.resolve(value);
  }, { maxLabels: 2, maxLabelLength: 10 });
  const got = await Promise.all(
    ["one", "ONE", "two", "three", "\u0000"].map((v) => labels.ensure(v, "#fff")),
  );
  assert.deepEqual(got, ["one", "one", "two", undefined, undefined]);
  assert.deepEqual(created, ["one", "two"]);
  const notices: EnrichmentNotice[] = [];
  labels.flush((notice) => notices.push(notice));
  assert.deepEqual(notices, [{
    kind: "capped",
    subject: "labels",
    kept: 2,
    total: 3,
    setting: "CONNECTOR_MAX_LABELS",
  }]);
});
