import assert from "node:assert/strict";
import { buildHeaders } from "./headers.ts";

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
