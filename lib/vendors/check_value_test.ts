import assert from "node:assert/strict";
import { MessageError } from "../errors/mod.ts";
import { CHECKED_TYPES, checkValue } from "./check_value.ts";
import { InvalidValueError } from "./values.ts";

Deno.test("checkValue() returns each entity type's value normalised", () => {
  const cases: Array<[string, string, string]> = [
    ["IPv4-Addr", " 198.51.100.7 ", "198.51.100.7"],
    ["IPv4-Addr", "198.51.100.0/24", "198.51.100.0/24"],
    ["IPv6-Addr", "2001:db8::/32", "2001:db8::/32"],
    ["Domain-Name", "Example.COM.", "example.com"],
    ["Hostname", "bücher.example", "xn--bcher-kva.example"],
    ["Url", "https://example.com/x?y=1", "https://example.com/x?y=1"],
    ["StixFile", "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcdef"],
    ["StixFile", "c".repeat(128), "c".repeat(128)],
    ["Indicator", "[ipv4-addr:value = '1.1.1.1']", "[ipv4-addr:value = '1.1.1.1']"],
  ];
  for (const [type, value, expected] of cases) {
    assert.equal(checkValue(type, value), expected, value);
  }
  assert.deepEqual(CHECKED_TYPES.toSorted(), [
    "Domain-Name",
    "Hostname",
    "IPv4-Addr",
    "IPv6-Addr",
    "Indicator",
    "StixFile",
    "Url",
  ]);
});

Deno.test("checkValue() refuses a value not of its type, saying why and quoting it safely", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["IPv4-Addr", "999.999.999.999", /^Cannot enrich IPv4-Addr "999\.999\.999\.999": not an IPv4/],
    ["IPv6-Addr", "1.2.3.4", /not an IPv6 address/],
    ["Domain-Name", "bad\r\nname.example", /"bad\\r\\nname\.example": it holds control characters/],
    ["Url", "ftp://example.com/x", /not an http or https URL \(scheme "ftp"\)/],
    ["StixFile", "abc", /not an MD5, SHA-1, SHA-256 or SHA-512 hash/],
    ["Indicator", "ipv4-addr:value = '1.1.1.1'", /not a STIX pattern/],
  ];
  for (const [type, value, reason] of cases) {
    assert.throws(() => checkValue(type, value), (error: unknown) => {
      assert.ok(error instanceof InvalidValueError, value);
      assert.match(error.message, reason);
      return true;
    });
  }
  assert.throws(() => checkValue("Url", "  "), MessageError);
  assert.throws(() => checkValue("Mutex", "m"), RangeError);
});

Deno.test("checkValue() applies a length limit before any other check", () => {
  assert.throws(
    () => checkValue("Domain-Name", `${"a".repeat(300)}.example`, { maxLength: 100 }),
    /more than the 100 allowed \(CONNECTOR_MAX_VALUE_LENGTH\)/,
  );
});
