import assert from "node:assert/strict";
import { ConfigError } from "../errors/mod.ts";
import { buildHeaders, parseCustomHeaders } from "./headers.ts";

Deno.test("parseCustomHeaders() splits on ';' then on the first ':' and trims both sides", () => {
  assert.deepEqual(parseCustomHeaders(" X-One : a ; X-Two:b:c;"), { "X-One": "a", "X-Two": "b:c" });
});

Deno.test("parseCustomHeaders() skips empty entries", () => {
  assert.deepEqual(parseCustomHeaders(";;  ;"), {});
});

Deno.test("parseCustomHeaders() refuses an entry without ':' and never echoes its value", () => {
  assert.throws(
    () => parseCustomHeaders("X-Ok:1;secret-value-123"),
    (thrown: unknown) => {
      assert.ok(thrown instanceof ConfigError);
      assert.match(thrown.message, /entry 2 has no ":"/);
      assert.ok(!thrown.message.includes("secret-value-123"));
      assert.equal(thrown.issues[0]?.env, "OPENCTI_CUSTOM_HEADERS");
      return true;
    },
  );
});

Deno.test("parseCustomHeaders() refuses an invalid header name", () => {
  assert.throws(() => parseCustomHeaders("Bad Name:1"), /entry 1 has an invalid header name/);
});

Deno.test("buildHeaders() sends the bearer token, user agent, JSON type and custom headers", () => {
  assert.deepEqual(
    buildHeaders({ token: "tok", userAgent: "opencti-enrich/1.0.0", custom: { "X-A": "1" } }),
    {
      "Authorization": "Bearer tok",
      "User-Agent": "opencti-enrich/1.0.0",
      "Content-Type": "application/json",
      "X-A": "1",
    },
  );
});

Deno.test("buildHeaders() adds opencti-draft-id only for a draft id", () => {
  const base = { token: "t", userAgent: "u" };
  assert.equal(buildHeaders({ ...base, draftId: "draft-1" })["opencti-draft-id"], "draft-1");
  assert.ok(!("opencti-draft-id" in buildHeaders({ ...base, draftId: null })));
  assert.ok(!("opencti-draft-id" in buildHeaders({ ...base, draftId: "" })));
  assert.ok(!("opencti-draft-id" in buildHeaders(base)));
});
