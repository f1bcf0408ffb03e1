import assert from "node:assert/strict";
import { checkIpv4 } from "./values.ts";
import { Intake, takeItems } from "./intake.ts";
import type { EnrichmentNotice } from "./vendor_module.ts";

function context(maxRelated: number) {
  const notices: EnrichmentNotice[] = [];
  return {
    notices,
    limits: { maxRelated },
    report: (notice: EnrichmentNotice) => notices.push(notice),
  };
}

const ipv4 = (item: unknown) =>
  typeof item === "string" ? checkIpv4(item) : { ok: false as const, reason: "not a string" };

Deno.test("takeItems() checks only the first maxRelated items and reports the cap once", () => {
  const sink = context(3);
  let parsed = 0;
  const items = takeItems(["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"], {
    ...sink,
    subject: "IPs of x",
    parse: (item) => {
      parsed++;
      return ipv4(item);
    },
  });
  assert.deepEqual(items, ["1.1.1.1", "2.2.2.2", "3.3.3.3"]);
  assert.equal(parsed, 3, "items past the cap are never looked at");
  assert.deepEqual(sink.notices, [
    { kind: "capped", subject: "IPs of x", kept: 3, total: 5, setting: "CONNECTOR_MAX_RELATED" },
  ]);
});

Deno.test("takeItems() sums invalid items up in one notice with the first three reasons", () => {
  const sink = context(100);
  const items = takeItems(["1.1.1.1", "x", 7, "999.1.1.1", null, "2.2.2.2"], {
    ...sink,
    subject: "IPs of x",
    parse: ipv4,
  });
  assert.deepEqual(items, ["1.1.1.1", "2.2.2.2"]);
  assert.equal(sink.notices.length, 1);
  assert.deepEqual(sink.notices[0], {
    kind: "invalid",
    subject: "IPs of x",
    kept: 2,
    total: 6,
    reasons: [
      "not an IPv4 address (four numbers 0-255 separated by dots)",
      "not a string",
      "not an IPv4 address (four numbers 0-255 separated by dots)",
    ],
  });
});

Deno.test("a 2M-item list costs maxRelated checks and two notices", () => {
  const sink = context(500);
  const list = new Array<unknown>(2_000_000).fill(0);
  const started = performance.now();
  const items = takeItems(list, { ...sink, subject: "junk", parse: ipv4 });
  const elapsed = performance.now() - started;
  assert.deepEqual(items, []);
  assert.deepEqual(sink.notices.map((n) => [n.kind, n.kept, n.total]), [
    ["capped", 500, 2_000_000],
    ["invalid", 0, 500],
  ]);
  assert.ok(elapsed < 50, `${elapsed} ms`);
});

Deno.test("an intake shared by nested lists applies one cap to all of them", () => {
  const sink = context(4);
  const intake = new Intake("A records of x", sink);
  const first = intake.take(["1.1.1.1", "2.2.2.2", "3.3.3.3"], ipv4);
  const second = intake.take(["4.4.4.4", "5.5.5.5", "6.6.6.6"], ipv4);
  const third = intake.take(["7.7.7.7"], ipv4);
  intake.close();
  intake.close();
  assert.equal(first.length + second.length + third.length, 4);
  assert.deepEqual(sink.notices, [
    {
      kind: "capped",
      subject: "A records of x",
      kept: 4,
      total: 7,
      setting: "CONNECTOR_MAX_RELATED",
    },
  ]);
});

Deno.test("a value that is not a list, or an item refused later, counts as invalid", () => {
  const sink = context(10);
  const intake = new Intake("things", sink);
  assert.deepEqual(intake.take({ not: "a list" }, ipv4), []);
  assert.deepEqual(intake.take(undefined, ipv4), []);
  intake.take(["1.1.1.1"], ipv4);
  intake.reject("the builder refused it");
  assert.equal(intake.one("2.2.2.2", ipv4), "2.2.2.2");
  intake.close();
  assert.deepEqual(sink.notices, [
    {
      kind: "invalid",
      subject: "things",
      kept: 1,
      total: 3,
      reasons: ["expected a list", "the builder refused it"],
    },
  ]);
});
