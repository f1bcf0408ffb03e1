import assert from "node:assert/strict";
import { parseRedisUrl, type RedisTarget } from "./_cache_url.ts";

function targetOf(url: string): RedisTarget {
  const parsed = parseRedisUrl(url);
  assert.ok("target" in parsed, `${url} was refused`);
  return parsed.target;
}

Deno.test("a Redis URL gives host, port, database, TLS and decoded credentials", () => {
  assert.deepEqual(targetOf("redis://cache.internal"), {
    host: "cache.internal",
    port: 6379,
    tls: false,
    database: 0,
    label: "cache.internal:6379/0",
  });
  assert.deepEqual(targetOf("rediss://app:p%40ss%2Fw0rd@10.0.0.5:6380/3"), {
    host: "10.0.0.5",
    port: 6380,
    tls: true,
    username: "app",
    password: "p@ss/w0rd",
    database: 3,
    label: "10.0.0.5:6380/3",
  });
  assert.equal(targetOf("redis://:only-pass@[::1]:7000").host, "::1");
  assert.equal(targetOf("redis://:only-pass@[::1]:7000").password, "only-pass");
});

Deno.test("a malformed Redis URL says why without quoting it", () => {
  const cases: Array<[string, RegExp]> = [
    ["not a url s3cr3t-pw", /is not a valid URL/],
    ["http://u:s3cr3t-pw@cache", /uses the scheme "http:"/],
    ["redis://u:s3cr3t-pw@c/db", /not a database number/],
    ["redis://u:s3cr3t-pw%zz@c", /not valid percent-encoding/],
  ];
  for (const [url, reason] of cases) {
    const parsed = parseRedisUrl(url);
    assert.ok("problem" in parsed, url);
    assert.match(parsed.problem, reason, url);
    assert.doesNotMatch(parsed.problem, /s3cr3t/, url);
  }
});
