import assert from "node:assert/strict";
import { VendorError } from "../errors/mod.ts";
import { captureLogger } from "../log/testing.ts";
import { createVendorHttpClient, encodePathSegment, joinUrl, retryAfterMs } from "./client.ts";

const KEY = "vendor-api-key-0123456789";

type Handler = (request: Request) => Response | Promise<Response>;

async function withServer(handler: Handler, body: (base: string) => Promise<void>): Promise<void> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  try {
    await body(`http://127.0.0.1:${server.addr.port}/api/v2`);
  } finally {
    await server.shutdown();
  }
}

function client(base: string, extra: Partial<Parameters<typeof createVendorHttpClient>[0]> = {}) {
  const captured = captureLogger();
  const sleeps: number[] = [];
  const events: string[] = [];
  const http = createVendorHttpClient({
    vendor: "acme",
    baseUrl: base,
    headers: { "x-api-key": KEY },
    secrets: [KEY],
    logger: captured.logger,
    retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 2000 },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    observer: {
      request: (vendor, outcome) => events.push(`${vendor}:${outcome}`),
      retry: (vendor, reason) => events.push(`${vendor}:retry:${reason}`),
    },
    ...extra,
  });
  return { http, captured, sleeps, events };
}

function expectVendorError(error: unknown, kind: string, status?: number): VendorError {
  assert.ok(error instanceof VendorError, String(error));
  assert.equal(error.kind, kind);
  assert.equal(error.status, status);
  assert.ok(!error.message.includes(KEY));
  return error;
}

Deno.test("joinUrl() keeps the base path whatever the slashes", () => {
  for (const base of ["https://x/v1", "https://x/v1/"]) {
    for (const path of ["ips/1.2.3.4/reputation", "/ips/1.2.3.4/reputation"]) {
      assert.equal(joinUrl(base, path), "https://x/v1/ips/1.2.3.4/reputation");
    }
  }
  assert.equal(encodePathSegment("a/b c"), "a%2Fb%20c");
  assert.equal(encodePathSegment("2001:db8::1"), "2001%3Adb8%3A%3A1");
});

Deno.test("retryAfterMs() reads seconds and HTTP dates", () => {
  assert.equal(retryAfterMs("2"), 2000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6_000);
  assert.equal(retryAfterMs("soon"), undefined);
  assert.equal(retryAfterMs(null), undefined);
});

Deno.test("a 200 JSON answer is returned with the key sent as a header", async () => {
  let seen: { url: string; key: string | null } | undefined;
  await withServer((request) => {
    seen = { url: request.url, key: request.headers.get("x-api-key") };
    return Response.json({ ok: true });
  }, async (base) => {
    const { http, events } = client(base + "/");
    const answer = await http.getJson("/enrich/ipv4/1.1.1.1/enrich/", { query: { explain: "1" } });
    assert.deepEqual(answer.body, { ok: true });
    assert.equal(new URL(seen!.url).pathname, "/api/v2/enrich/ipv4/1.1.1.1/enrich/");
    assert.equal(new URL(seen!.url).searchParams.get("explain"), "1");
    assert.equal(seen!.key, KEY);
    assert.deepEqual(events, ["acme:200"]);
  });
});

Deno.test("a 2xx answer that is not JSON is an invalid_response", async () => {
  await withServer(() => new Response("<html>maintenance</html>"), async (base) => {
    const error = await client(base).http.getJson("x").catch((e) => e);
    expectVendorError(error, "invalid_response", 200);
    assert.match(error.message, /not JSON: <html>maintenance<\/html>/);
  });
});

Deno.test("401 and 403 are auth errors, never retried, never quoting the key", async () => {
  for (const status of [401, 403]) {
    let calls = 0;
    await withServer(() => {
      calls++;
      return Response.json({ error: `bad key ${KEY}` }, { status });
    }, async (base) => {
      const { http, captured } = client(base);
      const error = await http.getJson("x").catch((e) => e);
      expectVendorError(error, "auth", status);
      assert.match(error.message, /\[REDACTED\]/);
      assert.equal(calls, 1);
      assert.ok(captured.lines.every((line) => !line.includes(KEY)));
    });
  }
});

Deno.test("404 is not_found and not retried", async () => {
  let calls = 0;
  await withServer(() => {
    calls++;
    return new Response("", { status: 404 });
  }, async (base) => {
    expectVendorError(await client(base).http.getJson("x").catch((e) => e), "not_found", 404);
    assert.equal(calls, 1);
  });
});

Deno.test("429 with Retry-After waits that long, then succeeds", async () => {
  let calls = 0;
  await withServer(() => {
    calls++;
    return calls === 1
      ? new Response("slow down", { status: 429, headers: { "retry-after": "1" } })
      : Response.json({ ok: 1 });
  }, async (base) => {
    const { http, sleeps, events } = client(base);
    assert.deepEqual((await http.getJson("x")).body, { ok: 1 });
    assert.deepEqual(sleeps, [1000]);
    assert.deepEqual(events, ["acme:429", "acme:retry:rate_limited", "acme:200"]);
  });
});

Deno.test("429 forever ends as rate_limited after maxRetries + 1 attempts", async () => {
  let calls = 0;
  await withServer(() => {
    calls++;
    return new Response("", { status: 429 });
  }, async (base) => {
    const error = await client(base).http.getJson("x").catch((e) => e);
    expectVendorError(error, "rate_limited", 429);
    assert.match(error.message, /gave up after 3 attempts/);
    assert.equal(calls, 3);
  });
});

Deno.test("503 then 200 is retried with exponential backoff", async () => {
  let calls = 0;
  await withServer(() => {
    calls++;
    return calls < 3 ? new Response("", { status: 503 }) : Response.json([]);
  }, async (base) => {
    const { http, sleeps } = client(base);
    await http.getJson("x");
    assert.deepEqual(sleeps, [5, 10], "full jitter at 0.5 of 10 then 20 ms");
  });
});

Deno.test("a refused connection is retried, then a network error", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const { http, events } = client(`http://127.0.0.1:${port}/api`);
  const error = await http.getJson("x").catch((e) => e);
  expectVendorError(error, "network");
  assert.match(error.message, /Cannot reach acme for "\/api\/x"/);
  assert.equal(events.filter((e) => e === "acme:network").length, 3);
});

Deno.test("an answer slower than the timeout is a timeout error", async () => {
  const release = Promise.withResolvers<void>();
  await withServer(async () => {
    await release.promise;
    return Response.json({});
  }, async (base) => {
    const { http } = client(base, { timeoutMs: 50, retry: { maxRetries: 0 } });
    const error = await http.getJson("x").catch((e) => e);
    release.resolve();
    expectVendorError(error, "timeout");
    assert.match(error.message, /did not answer "\/api\/v2\/x" within 50 ms/);
  });
});

Deno.test("a finished call releases its deadline: its signal never fires afterwards", async () => {
  // A timer or listener kept per call for the whole timeout piles up under load.
  const signals: AbortSignal[] = [];
  const caller = new AbortController();
  const { http } = client("https://vendor.example/api", {
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
  const release = Promise.withResolvers<void>();
  await withServer(async () => {
    await release.promise;
    return Response.json({});
  }, async (base) => {
    const controller = new AbortController();
    const pending = client(base).http.getJson("x", { signal: controller.signal }).catch((e) => e);
    setTimeout(() => controller.abort(new Error("shutting down")), 20);
    const error = await pending;
    release.resolve();
    assert.equal(error.message, "shutting down");
  });
});

Deno.test("the rate limit holds across concurrent calls", async () => {
  const starts: number[] = [];
  await withServer(() => {
    starts.push(performance.now());
    return Response.json({});
  }, async (base) => {
    const { http } = client(base, { rateLimit: { requests: 5, perMs: 200 } });
    const began = performance.now();
    await Promise.all(Array.from({ length: 15 }, () => http.getJson("x")));
    assert.ok(performance.now() - began >= 400, "three windows of five");
    starts.sort((a, b) => a - b);
    for (let i = 5; i < starts.length; i++) {
      assert.ok(starts[i]! - starts[i - 5]! >= 190, `more than 5 starts within 200 ms at ${i}`);
    }
  });
});
