import assert from "node:assert/strict";
import { ConfigError } from "../errors/mod.ts";
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

Deno.test("a malformed cache URL names CONNECTOR_CACHE_URL and never quotes the password", () => {
  const cases: Array<[string, RegExp]> = [
    ["not a url s3cr3t-pw", /is not a valid URL/],
    ["http://user:s3cr3t-pw@cache:6379", /uses the scheme "http:"/],
    ["redis://user:s3cr3t-pw@cache:6379/zero", /path is the database number/],
    ["redis://user:s3cr3t-pw%zz@cache:6379", /password that is not valid percent-encoding/],
    ["redis://user:s3cr3t-pw@cache:99999", /is not a valid URL/],
  ];
  for (const [url, reason] of cases) {
    const error = (() => {
      try {
        parseRedisUrl(url);
      } catch (error) {
        return error;
      }
      assert.fail(`${url} was accepted`);
    })();
    assert.ok(error instanceof ConfigError, url);
    assert.deepEqual(error.issues.map((issue) => [issue.path, issue.env]), [[
      "connector.cache_url",
      "CONNECTOR_CACHE_URL",
    ]]);
    assert.match(error.message, reason);
    assert.doesNotMatch(error.message, /s3cr3t/);
    assert.equal(error.cause, undefined, "no cause that could quote the URL");
  }
});
