import assert from "node:assert/strict";
import { KEY, testClient, withServer } from "./_testing.ts";

/** The key as a vendor may echo it. */
const FORMS: Record<string, string> = {
  raw: KEY,
  "URL-encoded, lower-case hex": encodeURIComponent(KEY).replace(
    /%[0-9A-F]{2}/g,
    (e) => e.toLowerCase(),
  ),
  "JSON-escaped": JSON.stringify(KEY).slice(1, -1),
  base64: btoa(KEY),
};

/** Bodies that put `form` in the middle, across the 200-character excerpt cut, and at the 4 KB read cut. */
function bodies(form: string): Record<string, string> {
  return {
    middle: `{"error":"invalid key ${form} for this account"}`,
    "across the excerpt cut": `${"x".repeat(190)} ${form} and more`,
    "at the end of the 4 KB read": `${" ".repeat(4096 - 6)}${form}`,
  };
}

Deno.test("a key echoed in an error body never reaches the message, in any form or position", async () => {
  for (const [formName, form] of Object.entries(FORMS)) {
    for (const [place, body] of Object.entries(bodies(form))) {
      await withServer(() => new Response(body, { status: 400 }), async (base) => {
        const { http, captured } = testClient(base);
        const error = await http.getJson("x").catch((e) => e);
        assert.equal(error.kind, "client");
        for (const text of [error.message, ...captured.lines]) {
          assert.ok(!text.includes(form.slice(0, 4)), `${formName}, ${place}: ${text}`);
        }
      });
    }
  }
});

Deno.test("a key echoed in a 2xx answer that is not JSON never reaches the message", async () => {
  for (const [formName, form] of Object.entries(FORMS)) {
    await withServer(() => new Response(`${"<p>".repeat(65)} ${form}`), async (base) => {
      const error = await testClient(base).http.getJson("x").catch((e) => e);
      assert.equal(error.kind, "invalid_response");
      assert.ok(!error.message.includes(form.slice(0, 4)), `${formName}: ${error.message}`);
    });
  }
});

Deno.test("an error body cut at 4 KB still quotes its start", async () => {
  const minified = JSON.stringify({ error: "bad request", detail: "y".repeat(8000) });
  await withServer(() => new Response(minified, { status: 422 }), async (base) => {
    const error = await testClient(base).http.getJson("x").catch((e) => e);
    assert.ok(
      error.message.endsWith(`with HTTP 422: ${minified.slice(0, 200)}…`),
      "the first 200 characters",
    );
  });
});
