import assert from "node:assert/strict";
import {
  expectVendorError,
  KEY,
  testClient,
  unusedPort,
  withCountingServer,
  withServer,
} from "./_testing.ts";

/** Runs `body` with a server that answers `{}` only once `release()` is called. */
async function withHeldServer(
  body: (base: string, release: () => void) => Promise<void>,
): Promise<void> {
  const held = Promise.withResolvers<void>();
  await withServer(async () => {
    await held.promise;
    return Response.json({});
  }, (base) => body(base, () => held.resolve()));
}

Deno.test("a 200 JSON answer is returned with the key sent as a header", async () => {
  let seen: { url: string; key: string | null } | undefined;
  await withServer((request) => {
    seen = { url: request.url, key: request.headers.get("x-api-key") };
    return Response.json({ ok: true });
  }, async (base) => {
    const { http, events } = testClient(base + "/");
    const answer = await http.getJson("/enrich/ipv4/1.1.1.1/enrich/", { query: { explain: "1" } });
    assert.deepEqual(answer.body, { ok: true });
    assert.equal(answer.cached, false);
    assert.equal(new URL(seen!.url).pathname, "/api/v2/enrich/ipv4/1.1.1.1/enrich/");
    assert.equal(new URL(seen!.url).searchParams.get("explain"), "1");
    assert.equal(seen!.key, KEY);
    assert.deepEqual(events, ["acme:200"]);
  });
});

Deno.test("a 2xx answer that is not JSON is an invalid_response", async () => {
  await withServer(() => new Response("<html>maintenance</html>"), async (base) => {
    const error = await testClient(base).http.getJson("x").catch((e) => e);
    expectVendorError(error, "invalid_response", 200);
    assert.match(error.message, /not JSON: <html>maintenance<\/html>/);
  });
});

Deno.test("401 and 403 are auth errors, never retried, never quoting the key", async () => {
  for (const status of [401, 403]) {
    const refuse = () => Response.json({ error: `bad key ${KEY}` }, { status });
    await withCountingServer(refuse, async (base, calls) => {
      const { http, captured } = testClient(base);
      const error = await http.getJson("x").catch((e) => e);
      expectVendorError(error, "auth", status);
      assert.match(error.message, /\[REDACTED\]/);
      assert.equal(calls(), 1);
      assert.ok(captured.lines.every((line) => !line.includes(KEY)));
    });
  }
});

Deno.test("404 is not_found and not retried", async () => {
  await withCountingServer(() => new Response("", { status: 404 }), async (base, calls) => {
    expectVendorError(await testClient(base).http.getJson("x").catch((e) => e), "not_found", 404);
    assert.equal(calls(), 1);
  });
});

Deno.test("429 with Retry-After waits that long, then succeeds", async () => {
  await withCountingServer(
    (call) =>
      call === 1
        ? new Response("slow down", { status: 429, headers: { "retry-after": "1" } })
        : Response.json({ ok: 1 }),
    async (base) => {
      const { http, sleeps, events } = testClient(base);
      assert.deepEqual((await http.getJson("x")).body, { ok: 1 });
      assert.deepEqual(sleeps, [1000]);
      assert.deepEqual(events, ["acme:429", "acme:retry:rate_limited", "acme:200"]);
    },
  );
});

Deno.test("a Retry-After longer than maxDelayMs waits maxDelayMs", async () => {
  await withCountingServer(
    (call) =>
      call === 1
        ? new Response("", { status: 503, headers: { "retry-after": "3600" } })
        : Response.json({}),
    async (base) => {
      const { http, sleeps } = testClient(base);
      await http.getJson("x");
      assert.deepEqual(sleeps, [2000]);
    },
  );
});

Deno.test("429 forever ends as rate_limited after maxRetries + 1 attempts", async () => {
  await withCountingServer(() => new Response("", { status: 429 }), async (base, calls) => {
    const error = await testClient(base).http.getJson("x").catch((e) => e);
    expectVendorError(error, "rate_limited", 429);
    assert.match(error.message, /gave up after 3 attempts/);
    assert.equal(calls(), 3);
  });
});

Deno.test("503 then 200 is retried with exponential backoff and full jitter", async () => {
  await withCountingServer(
    (call) => call < 3 ? new Response("", { status: 503 }) : Response.json([]),
    async (base) => {
      const { http, sleeps } = testClient(base);
      await http.getJson("x");
      assert.deepEqual(sleeps, [5, 10], "half of the 10 ms then 20 ms ceilings at random 0.5");
    },
  );
});

Deno.test("an answer slower than the timeout is a timeout error", async () => {
  await withHeldServer(async (base, release) => {
    const { http } = testClient(base, { timeoutMs: 50, retry: { maxRetries: 0 } });
    const error = await http.getJson("x").catch((e) => e);
    release();
    expectVendorError(error, "timeout");
    assert.match(error.message, /^acme did not answer "x" within 50 ms$/);
  });
});

Deno.test("a finished call releases its deadline: its signal never fires afterwards", async () => {
  // A timer or listener kept per call for the whole timeout piles up under load.
  const signals: AbortSignal[] = [];
  const caller = new AbortController();
  const { http } = testClient("https://vendor.example/api", {
    timeoutMs: 30,
    fetch: (_input, init) => {
      signals.push(init!.signal!);
      return Promise.resolve(Response.json({ ok: true }));
    },
  });
  assert.deepEqual((await http.getJson("x", { signal: caller.signal })).body, { ok: true });
  await new Promise((resolve) => setTimeout(resolve, 80));
  caller.abort(new Error("later shutdown"));
  assert.equal(signals.length, 1);
  assert.equal(signals[0]!.aborted, false, "neither the timeout nor the caller reached it");
});

Deno.test("the caller's abort ends the call with the abort reason", async () => {
  await withHeldServer(async (base, release) => {
    const controller = new AbortController();
    const pending = testClient(base).http.getJson("x", { signal: controller.signal })
      .catch((e) => e);
    setTimeout(() => controller.abort(new Error("shutting down")), 20);
    const error = await pending;
    release();
    assert.equal(error.message, "shutting down");
  });
});

Deno.test("the rate limit holds across concurrent calls", async () => {
  const starts: number[] = [];
  await withServer(() => {
    starts.push(performance.now());
    return Response.json({});
  }, async (base) => {
    const { http, events } = testClient(base, { rateLimit: { requests: 5, perMs: 200 } });
    const began = performance.now();
    await Promise.all(Array.from({ length: 15 }, () => http.getJson("x")));
    assert.ok(performance.now() - began >= 400, "three windows of five");
    starts.sort((a, b) => a - b);
    for (let i = 5; i < starts.length; i++) {
      assert.ok(starts[i]! - starts[i - 5]! >= 190, `more than 5 starts within 200 ms at ${i}`);
    }
    const waited = events.filter((e) => e === "acme:rate_limited").length;
    assert.ok(waited >= 10 && waited <= 15, `${waited} calls reported a wait; ten at least did`);
  });
});

Deno.test("a path with a dot segment is refused before any request", async () => {
  await withCountingServer(() => Response.json({}), async (base, calls) => {
    const { http } = testClient(base);
    for (const value of ["..", ".", "%2E%2E", "%2e.", ".%2E"]) {
      const error = await http.getJson(`ips/${value}/reputation`).catch((e) => e);
      expectVendorError(error, "client");
      assert.match(error.message, /a "\." or "\.\." segment/);
    }
    assert.equal(calls(), 0);
    await http.getJson("ips/1.2.3.4/reputation");
    assert.equal(calls(), 1, "dots inside a segment are fine");
  });
});

Deno.test("a refused connection names the cause, is retried, then fails as network", async () => {
  const { http, events } = testClient(`http://127.0.0.1:${unusedPort()}/api`);
  const error = await http.getJson("x").catch((e) => e);
  expectVendorError(error, "network");
  assert.match(
    error.message,
    /^Cannot reach acme at http:\/\/127\.0\.0\.1:\d+\/api for "x": connection refused \(nothing listens on that host and port\) \(gave up after 3 attempts\)$/,
  );
  assert.equal(events.filter((e) => e === "acme:network").length, 3);
});
