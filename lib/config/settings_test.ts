import assert from "node:assert/strict";
import { parseIsoDuration } from "./settings.ts";

const DAY = 86_400_000;

Deno.test("parseIsoDuration() reads days, weeks, hours and pydantic's month and year", () => {
  assert.equal(parseIsoDuration("P30D"), 30 * DAY);
  assert.equal(parseIsoDuration("PT12H"), 12 * 3_600_000);
  assert.equal(parseIsoDuration("P1W"), 7 * DAY);
  assert.equal(parseIsoDuration("P1DT2H"), DAY + 2 * 3_600_000);
  assert.equal(parseIsoDuration("P1M"), 30 * DAY);
  assert.equal(parseIsoDuration("P1Y"), 365 * DAY);
  assert.equal(parseIsoDuration("pt90s"), 90_000);
});

Deno.test("parseIsoDuration() refuses bare numbers, negatives and empty designators", () => {
  for (const text of ["30", "-P1D", "P", "PT", "P1DT", "1D", ""]) {
    assert.equal(parseIsoDuration(text), undefined, text);
  }
});
