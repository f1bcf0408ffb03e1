import assert from "node:assert/strict";
import { parseRedisUrl } from "./_redis_url.ts";

Deno.test("a Redis URL gives host, port, database, TLS and decoded credentials", () => {
  assert.deepEqual(parseRedisUrl("redis://cache.internal"), {
    host: "cache.internal",
    port: 6379,
    tls: false,
    database: 0,
    label: "cache.internal:6379/0",
  });
  assert.deepEqual(parseRedisUrl("rediss://app:p%40ss%2Fw0rd@10.0.0.5:6380/3"), {
    host: "10.0.0.5",
    port: 6380,
    tls: true,
    username: "app",
    password: "p@ss/w0rd",
    database: 3,
    label: "10.0.0.5:6380/3",
  });
  assert.equal(parseRedisUrl("redis://:only-pass@[::1]:7000").host, "::1");
  assert.equal(parseRedisUrl("redis://:only-pass@[::1]:7000").password, "only-pass");
});

Deno.test("a URL the config loader would refuse is a programming error that never quotes it", () => {
  for (
    const url of ["not a url s3cr3t-pw", "http://u:s3cr3t-pw@cache", "redis://u:s3cr3t-pw@c/db"]
  ) {
    assert.throws(() => parseRedisUrl(url), (error: unknown) => {
      assert.ok(error instanceof RangeError, url);
      assert.doesNotMatch(error.message, /s3cr3t/);
      return true;
    });
  }
});
