import assert from "node:assert/strict";
import { expectVendorError, KEY, testClient, withServer } from "./_testing.ts";

Deno.test("a redirect to another origin is not followed: the foreign server never sees the key", async () => {
  for (const status of [301, 302, 303, 307, 308]) {
    const foreignSaw: Array<string | null> = [];
    await withServer((request) => {
      foreignSaw.push(request.headers.get("x-api-key"));
      return Response.json({ planted: "attacker data" });
    }, async (_foreignBase, foreign) => {
      let vendorCalls = 0;
      await withServer(() => {
        vendorCalls++;
        return new Response(null, {
          status,
          headers: { location: `${foreign}/steal?key=${encodeURIComponent(KEY)}` },
        });
      }, async (base) => {
        const { http, captured } = testClient(base);
        const error = await http.getJson("enrich/ipv4/1.2.3.4").catch((e) => e);
        expectVendorError(error, "invalid_response", status);
        assert.equal(
          error.message,
          `acme answered "enrich/ipv4/1.2.3.4" with HTTP ${status}, a redirect to another origin (${foreign}): not followed, so the API key is never sent there; check the vendor's API base URL`,
        );
        assert.equal(vendorCalls, 1, "not retried");
        assert.ok(captured.lines.every((line) => !line.includes(KEY)));
      });
    });
    assert.deepEqual(foreignSaw, [], `HTTP ${status}: the foreign server was never asked`);
  }
});

Deno.test("a redirect to another scheme or port of the same host is foreign too", async () => {
  await withServer(
    () => new Response(null, { status: 302, headers: { location: "https://127.0.0.1/x" } }),
    async (base) => {
      const error = await testClient(base).http.getJson("x").catch((e) => e);
      expectVendorError(error, "invalid_response", 302);
      assert.match(error.message, /another origin \(https:\/\/127\.0\.0\.1\)/);
    },
  );
});

Deno.test("same-origin redirects are followed with the key, at most three times", async () => {
  const seen: Array<{ path: string; key: string | null }> = [];
  await withServer((request) => {
    const path = new URL(request.url).pathname;
    seen.push({ path, key: request.headers.get("x-api-key") });
    const hop = Number(path.match(/hop(\d)$/)?.[1] ?? 0);
    if (path.startsWith("/api/v2/loop")) {
      return new Response(null, { status: 307, headers: { location: `/api/v2/loop${hop + 1}` } });
    }
    if (hop < 3) {
      return new Response(null, { status: 301, headers: { location: `hop${hop + 1}` } });
    }
    return Response.json({ moved: true });
  }, async (base) => {
    const { http, events } = testClient(base);
    const answer = await http.getJson("hop0");
    assert.deepEqual(answer.body, { moved: true });
    assert.deepEqual(seen.map((s) => s.path), [
      "/api/v2/hop0",
      "/api/v2/hop1",
      "/api/v2/hop2",
      "/api/v2/hop3",
    ]);
    assert.ok(seen.every((s) => s.key === KEY));
    assert.deepEqual(events, ["acme:301", "acme:301", "acme:301", "acme:200"]);

    seen.length = 0;
    const error = await http.getJson("loop0").catch((e) => e);
    expectVendorError(error, "invalid_response", 307);
    assert.match(error.message, /answered "loop0" with HTTP 307 after 3 redirects/);
    assert.equal(seen.length, 4, "the first request and three redirects, then no more");
  });
});

Deno.test("a redirect without a Location is an invalid_response", async () => {
  await withServer(() => new Response(null, { status: 302 }), async (base) => {
    const error = await testClient(base).http.getJson("x").catch((e) => e);
    expectVendorError(error, "invalid_response", 302);
    assert.match(error.message, /without a usable Location header/);
  });
});
