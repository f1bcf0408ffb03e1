import assert from "node:assert/strict";
import { credentialFingerprint } from "./_cache_key.ts";
import { expectVendorError, KEY, RecordingStore, testClient, withServer } from "./_testing.ts";

/** A vendor that counts requests and answers `{n}` with the request number. */
async function withCountingVendor(
  body: (base: string, requests: () => number) => Promise<void>,
  options: { status?: number; delayMs?: number } = {},
): Promise<void> {
  let requests = 0;
  await withServer(async () => {
    requests++;
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    return options.status === 404
      ? Response.json({ error: "no such indicator" }, { status: 404 })
      : Response.json({ n: requests });
  }, (base) => body(base, () => requests));
}

Deno.test("the same question twice is asked once: the second answer comes from the cache", async () => {
  await withCountingVendor(async (base, requests) => {
    const store = new RecordingStore();
    const { http, events } = testClient(base, { store, cacheTtlMs: 60_000 });
    let fromCache = 0;
    const onCachedAnswer = () => fromCache++;
    const first = await http.getJson("ips/1.2.3.4", { query: { b: "2", a: "1" }, onCachedAnswer });
    const second = await http.getJson("/ips/1.2.3.4", {
      query: { a: "1", b: "2" },
      onCachedAnswer,
    });
    assert.deepEqual([first.body, first.cached], [{ n: 1 }, false]);
    assert.deepEqual([second.body, second.cached], [{ n: 1 }, true]);
    assert.equal(requests(), 1);
    assert.equal(fromCache, 1);
    assert.deepEqual(events, ["acme:cache:miss", "acme:200", "acme:cache:hit"]);
    const fingerprint = await credentialFingerprint({ "x-api-key": KEY });
    assert.match(fingerprint, /^[0-9a-f]{16}$/);
    const [key, entry] = [...store.entries][0]!;
    assert.equal(key, `acme:${fingerprint}:/api/v2/ips/1.2.3.4?a=1&b=2`);
    assert.deepEqual(entry, { answer: { status: 200, body: '{"n":1}' }, ttlMs: 60_000 });
  });
});

Deno.test("a changed API key never gets the answers cached for the old one", async () => {
  await withCountingVendor(async (base, requests) => {
    const store = new RecordingStore();
    await testClient(base, { store, cacheTtlMs: 60_000 }).http.getJson("x");
    const rotated = testClient(base, {
      store,
      cacheTtlMs: 60_000,
      headers: { "x-api-key": `${KEY}-rotated`, "user-agent": "test" },
    });
    assert.deepEqual((await rotated.http.getJson("x")).body, { n: 2 });
    assert.equal(requests(), 2);
    const sameKeyOtherAgent = testClient(base, {
      store,
      cacheTtlMs: 60_000,
      headers: { "x-api-key": KEY, "user-agent": "other/2.0" },
    });
    assert.equal(
      (await sameKeyOtherAgent.http.getJson("x")).cached,
      true,
      "user-agent is no credential",
    );
  });
});

Deno.test("a cached 404 fails like a live one, without a request", async () => {
  await withCountingVendor(async (base, requests) => {
    const store = new RecordingStore();
    const { http } = testClient(base, { store, cacheTtlMs: 60_000 });
    let fromCache = 0;
    const live = await http.getJson("x").catch((e) => e);
    const cached = await http.getJson("x", { onCachedAnswer: () => fromCache++ }).catch((e) => e);
    expectVendorError(live, "not_found", 404);
    expectVendorError(cached, "not_found", 404);
    assert.equal(cached.message, live.message);
    assert.match(live.message, /no such indicator/);
    assert.equal(requests(), 1);
    assert.equal(fromCache, 1);
  }, { status: 404 });
});

Deno.test("errors other than 404 are not cached", async () => {
  let requests = 0;
  await withServer(() => {
    requests++;
    return new Response("nope", { status: 400 });
  }, async (base) => {
    const store = new RecordingStore();
    const { http } = testClient(base, { store, cacheTtlMs: 60_000 });
    await http.getJson("x").catch(() => {});
    await http.getJson("x").catch(() => {});
    assert.equal(requests, 2);
    assert.equal(store.entries.size, 0);
  });
});

Deno.test("identical calls in flight share one vendor request", async () => {
  await withCountingVendor(async (base, requests) => {
    const store = new RecordingStore();
    const { http } = testClient(base, { store, cacheTtlMs: 60_000 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => http.getJson("x")));
    assert.equal(requests(), 1);
    assert.ok(answers.every((answer) => (answer.body as { n: number }).n === 1));
    assert.equal(store.calls.filter((c) => c.startsWith("get:")).length, 1, "one lookup");
  }, { delayMs: 50 });
});

Deno.test("a caller that gives up does not end the request the others wait for", async () => {
  await withCountingVendor(async (base, requests) => {
    const store = new RecordingStore();
    const { http } = testClient(base, { store, cacheTtlMs: 60_000 });
    const quitter = new AbortController();
    const gaveUp = http.getJson("x", { signal: quitter.signal }).catch((e) => e);
    const stayed = http.getJson("x");
    setTimeout(() => quitter.abort(new Error("shutting down")), 10);
    assert.equal((await gaveUp).message, "shutting down");
    assert.deepEqual((await stayed).body, { n: 1 });
    assert.equal(requests(), 1);
  }, { delayMs: 60 });
});

Deno.test("without a TTL nothing is cached or shared", async () => {
  await withCountingVendor(async (base, requests) => {
    const store = new RecordingStore();
    const { http } = testClient(base, { store, cacheTtlMs: 0 });
    await Promise.all([http.getJson("x"), http.getJson("x")]);
    await http.getJson("x");
    assert.equal(requests(), 3);
    assert.deepEqual(store.calls, []);
  });
});

Deno.test("a failing store never fails a call, and is logged once a minute", async () => {
  await withCountingVendor(async (base, requests) => {
    const store = new RecordingStore();
    store.failWith = new Error("connect ECONNREFUSED 127.0.0.1:6390", {
      cause: new Error(`AUTH failed for ${KEY}`),
    });
    const { http, captured } = testClient(base, { store, cacheTtlMs: 60_000 });
    for (let i = 0; i < 3; i++) assert.deepEqual((await http.getJson("x")).body, { n: i + 1 });
    assert.equal(requests(), 3);
    const warnings = captured.records().filter((r) => r.level === "WARNING");
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /answer cache failed \(read\).*ECONNREFUSED/);
    assert.ok(!warnings[0]!.message.includes(KEY));
  });
});

Deno.test("a cache hit does not spend the rate limit; the store's limiter holds the key's budget", async () => {
  await withCountingVendor(async (base) => {
    const store = new RecordingStore();
    store.waitMs = 25;
    const { http, events } = testClient(base, {
      store,
      cacheTtlMs: 60_000,
      rateLimit: { requests: 200, perMs: 60_000 },
    });
    await http.getJson("x");
    await http.getJson("x");
    await http.getJson("y");
    const fingerprint = await credentialFingerprint({ "x-api-key": KEY });
    const budget = `acme:${fingerprint}`;
    assert.deepEqual(store.calls.filter((c) => !c.startsWith("get:") && !c.startsWith("set:")), [
      `limiter:${budget}:200/60000`,
      `acquire:${budget}`,
      `acquire:${budget}`,
    ]);
    assert.equal(events.filter((e) => e === "acme:rate_limited").length, 2);
  });
});

Deno.test("a store whose limiter cannot be made falls back to a local limit", async () => {
  await withCountingVendor(async (base, requests) => {
    const store = new RecordingStore();
    store.limiter = () => {
      throw new Error("redis script not loaded");
    };
    const { http, captured } = testClient(base, {
      store,
      rateLimit: { requests: 1, perMs: 100 },
    });
    const started = performance.now();
    await Promise.all([http.getJson("x"), http.getJson("y")]);
    assert.equal(requests(), 2);
    assert.ok(performance.now() - started >= 90, "the second call waited for the local window");
    assert.match(captured.records()[0]!.message, /limited in this process only: redis script/);
  });
});
