import assert from "node:assert/strict";
import { MessageError } from "../errors/mod.ts";
import {
  checkDomain,
  checkHash,
  checkHostname,
  checkIpOrCidr,
  checkIpv4,
  checkIpv6,
  checkText,
  checkUrl,
  InvalidValueError,
  pathSegment,
  quoteValue,
  requireValue,
} from "./values.ts";

const accepted = (checked: { ok: boolean }) => checked.ok;

/** Asserts that a check accepted its input as `value`. */
function assertValue(checked: unknown, value: unknown): void {
  assert.deepEqual(checked, { ok: true, value });
}

/** Asserts that `check` accepts every one of `values`. */
function accepts(check: (text: string) => { ok: boolean }, values: readonly string[]): void {
  for (const value of values) assert.ok(accepted(check(value)), value);
}

/** Asserts that `check` refuses every one of `values`. */
function refuses(check: (text: string) => { ok: boolean }, values: readonly string[]): void {
  for (const value of values) assert.ok(!accepted(check(value)), value);
}

Deno.test("checkIpv4() accepts dotted quads 0-255 and refuses leading zeros, ranges and junk", () => {
  accepts(checkIpv4, ["0.0.0.0", "1.2.3.4", "198.51.100.7", "255.255.255.255"]);
  refuses(checkIpv4, [
    "not-an-ip",
    "999.999.999.999",
    "256.1.1.1",
    "01.2.3.4",
    "1.2.3",
    "1.2.3.4.5",
    "1.2.3.4 ",
    "1.2.3.4/32",
    "0x7f.0.0.1",
    "１.2.3.4",
    "",
  ]);
});

Deno.test("checkIpv6() accepts RFC 4291 text forms and refuses zone ids, extra groups and junk", () => {
  accepts(checkIpv6, [
    "::",
    "::1",
    "2001:db8::7",
    "2001:DB8:0:0:0:0:0:1",
    "::ffff:192.0.2.1",
    "1::",
  ]);
  refuses(checkIpv6, [
    "not:an:ip",
    "2001:db8::1::2",
    "fe80::1%eth0",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7",
    "12345::",
    "::ffff:999.1.1.1",
    "1.2.3.4",
    "[::1]",
    "::1]/../x[",
  ]);
});

Deno.test("checkIpOrCidr() gives the address part of a CIDR and refuses a prefix out of range", () => {
  assertValue(checkIpOrCidr("ipv4", "198.51.100.0/24"), { address: "198.51.100.0", prefix: 24 });
  assertValue(checkIpOrCidr("ipv6", "2001:db8::/32"), { address: "2001:db8::", prefix: 32 });
  assertValue(checkIpOrCidr("ipv4", "1.2.3.4"), { address: "1.2.3.4" });
  for (const bad of ["1.2.3.4/33", "1.2.3.4/", "1.2.3.4/024", "1.2.3.4/a", "1.2.3.4/24/1"]) {
    assert.ok(!accepted(checkIpOrCidr("ipv4", bad)), bad);
  }
  assert.ok(!accepted(checkIpOrCidr("ipv6", "::/129")));
});

Deno.test("checkDomain() applies the RFC 1035/1123 label rules and lower-cases", () => {
  assertValue(checkDomain("Example-Threat.COM"), "example-threat.com");
  assertValue(checkDomain("xn--bcher-kva.de"), "xn--bcher-kva.de");
  assertValue(checkDomain("bücher.de"), "xn--bcher-kva.de");
  assert.ok(accepted(checkDomain(`${"a".repeat(63)}.com`)));
  refuses(checkDomain, [
    ".",
    "..",
    "example",
    "-bad.com",
    "bad-.com",
    "a..com",
    "example.com.",
    `${"a".repeat(64)}.com`,
    `${"abcdefghi.".repeat(26)}com`,
    "<script>alert(1)</script>.com",
    "evil.com\r\nHost: x",
    "under_score.com",
    "1.2.3.4",
    "999.999.999.999",
    "exa mple.com",
    "bü/cher.de",
  ]);
});

Deno.test("checkHostname() drops one trailing dot, then checks as a domain", () => {
  assertValue(checkHostname("Kate.NS.cloudflare.com."), "kate.ns.cloudflare.com");
  assert.ok(!accepted(checkHostname("a.com..")));
});

Deno.test("checkUrl() takes http(s) URLs whose host is an IP or a domain", () => {
  assertValue(checkUrl("https://Example-Threat.com/login"), {
    host: "example-threat.com",
    kind: "domain",
  });
  assertValue(checkUrl("http://198.51.100.7/x"), { host: "198.51.100.7", kind: "ipv4" });
  assertValue(checkUrl("https://[2001:db8::7]:8443/x"), { host: "2001:db8::7", kind: "ipv6" });
  assertValue(checkUrl("example.org/path"), { host: "example.org", kind: "domain" });
  refuses(checkUrl, [
    "javascript:alert(1)",
    "ftp://example.com/x",
    "http://999.999.999.999/",
    "http://localhost/x",
    "http://<script>/",
    "http://",
  ]);
});

Deno.test("checkHash() wants hexadecimal of the algorithm's length and lower-cases it", () => {
  assertValue(
    checkHash("md5", "0123456789ABCDEF0123456789ABCDEF"),
    "0123456789abcdef0123456789abcdef",
  );
  assert.ok(accepted(checkHash("sha1", "a".repeat(40))));
  assert.ok(accepted(checkHash("sha256", "b".repeat(64))));
  for (const bad of ["..", "a".repeat(31), "g".repeat(32), "a".repeat(40)]) {
    assert.ok(!accepted(checkHash("md5", bad)), bad);
  }
});

Deno.test("checkText() refuses non-strings, blank text, control characters and text over the limit", () => {
  assertValue(checkText("  CnC ", 10), "CnC");
  assert.ok(!accepted(checkText(12, 10)));
  assert.ok(!accepted(checkText("   ", 10)));
  assert.ok(!accepted(checkText("CnC\n\u0000<b>", 100)));
  const long = checkText("x".repeat(11), 10);
  assert.ok(!long.ok && /CONNECTOR_MAX_VALUE_LENGTH/.test(long.reason));
});

Deno.test("quoteValue() shows at most 64 characters with control characters escaped", () => {
  assert.equal(quoteValue("1.2.3.4"), '"1.2.3.4"');
  assert.equal(quoteValue("a\r\nb\u0000\u202e"), '"a\\r\\nb\\u0000\\u202e"');
  const quoted = quoteValue("x".repeat(100_000));
  assert.equal(quoted, `"${"x".repeat(64)}…" (100000 characters)`);
});

Deno.test("requireValue() throws an InvalidValueError (a MessageError) naming the value and the reason", () => {
  const huge = "9".repeat(100_000);
  assert.throws(
    () => requireValue("IPv4-Addr", huge, { maxLength: 2048, check: checkIpv4 }),
    (thrown: unknown) => {
      assert.ok(thrown instanceof InvalidValueError);
      assert.ok(thrown instanceof MessageError);
      assert.ok(thrown.message.length < 250, "the value is not copied into the message");
      assert.match(thrown.message, /100000 characters, more than the 2048 allowed/);
      assert.match(thrown.message, /CONNECTOR_MAX_VALUE_LENGTH/);
      return true;
    },
  );
  assert.throws(
    () =>
      requireValue("Hostname", "evil.com\r\nX-Injected: 1", {
        maxLength: 2048,
        check: checkHostname,
      }),
    (thrown: unknown) =>
      thrown instanceof InvalidValueError &&
      thrown.message.includes('"evil.com\\r\\nX-Injected: 1"') &&
      !thrown.message.includes("\r"),
  );
  assert.throws(
    () => requireValue("IPv4-Addr", "not-an-ip", { maxLength: 2048, check: checkIpv4 }),
    /Cannot enrich IPv4-Addr "not-an-ip": not an IPv4 address/,
  );
  assert.throws(
    () => requireValue("IPv4-Addr", "  ", { maxLength: 2048, check: checkIpv4 }),
    /has no value/,
  );
  assert.equal(
    requireValue("IPv4-Addr", " 1.2.3.4 ", { maxLength: 2048, check: checkIpv4 }),
    "1.2.3.4",
  );
});

Deno.test("pathSegment() encodes one segment and refuses dot segments the URL parser would resolve", () => {
  assert.equal(pathSegment("2001:db8::7"), "2001%3Adb8%3A%3A7");
  assert.equal(pathSegment("a/b"), "a%2Fb");
  for (const dots of [".", "..", "%2e", "%2E%2e", ".%2E", ""]) {
    assert.throws(() => pathSegment(dots), InvalidValueError, dots);
  }
  // Why: the WHATWG URL parser resolves encoded dot segments too.
  assert.equal(new URL("http://x/v1/ips/%2E%2E/reputation").pathname, "/v1/reputation");
});
