import assert from "node:assert/strict";
import { encodePathSegment, hasDotSegment, joinUrl } from "./url.ts";
import { retryAfterMs } from "./retry_after.ts";

Deno.test("joinUrl() keeps the base path whatever the slashes", () => {
  for (const base of ["https://x/v1", "https://x/v1/"]) {
    for (const path of ["ips/1.2.3.4/reputation", "/ips/1.2.3.4/reputation"]) {
      assert.equal(joinUrl(base, path), "https://x/v1/ips/1.2.3.4/reputation");
    }
  }
  assert.equal(encodePathSegment("a/b c"), "a%2Fb%20c");
  assert.equal(encodePathSegment("2001:db8::1"), "2001%3Adb8%3A%3A1");
});

Deno.test("hasDotSegment() finds the segments the URL parser would resolve", () => {
  for (const path of ["ips/../x", "./x", "a/%2E%2E/b", "a/%2e./b", "a/.%2E", "a/%2E", "a\\..\\b"]) {
    assert.equal(hasDotSegment(path), true, path);
    assert.notEqual(new URL(`https://x/v1/${path}`).pathname, `/v1/${path}`);
  }
  for (const path of ["ips/1.2.3.4/reputation", "a/...", "a/.b", "x?next=../y", "a/%2E%2E%2E"]) {
    assert.equal(hasDotSegment(path), false, path);
  }
});

Deno.test("retryAfterMs() reads seconds and HTTP dates", () => {
  assert.equal(retryAfterMs("2"), 2000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6_000);
  assert.equal(retryAfterMs("soon"), undefined);
  assert.equal(retryAfterMs(null), undefined);
});
