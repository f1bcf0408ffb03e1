import assert from "node:assert/strict";
import {
  BrokerError,
  MessageError,
  OpenCtiError,
  RefusedError,
  VendorError,
} from "../errors/mod.ts";
import { classifyFailure } from "./failure.ts";

Deno.test("an unavailable platform or broker requeues, whatever the message", () => {
  assert.equal(
    classifyFailure(new OpenCtiError("502", { kind: "http", status: 502, transient: true })),
    "infrastructure",
  );
  assert.equal(
    classifyFailure(new BrokerError("connection closed", { transient: true })),
    "infrastructure",
  );
  assert.equal(classifyFailure(new Error("aborted"), true), "infrastructure");
});

Deno.test("what retrying cannot fix is permanent", () => {
  assert.equal(classifyFailure(new MessageError("bad json")), "permanent");
  assert.equal(
    classifyFailure(new OpenCtiError("Forbidden", { kind: "auth", code: "FORBIDDEN_ACCESS" })),
    "permanent",
  );
  for (const kind of ["auth", "client", "not_found", "invalid_response"] as const) {
    assert.equal(classifyFailure(new VendorError("x", { vendor: "v", kind })), "permanent", kind);
  }
});

Deno.test("a vendor outage, a refused publish or an unexpected exception gets one more try", () => {
  assert.equal(classifyFailure(new BrokerError("NOT_FOUND - no exchange")), "retryable");
  for (const kind of ["rate_limited", "server", "network", "timeout"] as const) {
    assert.equal(classifyFailure(new VendorError("x", { vendor: "v", kind })), "retryable", kind);
  }
  assert.equal(classifyFailure(new TypeError("cannot read properties of undefined")), "retryable");
});

Deno.test("refusals are their own class", () => {
  assert.equal(classifyFailure(new RefusedError("TLP", { reason: "tlp" })), "refused");
});
