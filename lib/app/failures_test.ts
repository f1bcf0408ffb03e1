import assert from "node:assert/strict";
import { BETA_VENDOR } from "../config/testing.ts";
import { BrokerError, ConfigError, OpenCtiError, VendorError } from "../errors/mod.ts";
import { isVendorProbeFatal, startupFailure, vendorProbeFailure } from "./failures.ts";

function issueOf(error: Error): [string, string | undefined] {
  assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
  return [error.issues[0]!.path, error.issues[0]!.env];
}

Deno.test("a refused token is a configuration problem on OPENCTI_TOKEN, keeping the client's words", () => {
  const refused = new OpenCtiError('OpenCTI refused "About": no (check OPENCTI_TOKEN)', {
    kind: "auth",
  });
  const error = startupFailure(refused, "platform");
  assert.deepEqual(issueOf(error), ["opencti.token", "OPENCTI_TOKEN"]);
  assert.match(
    error.message,
    /^OpenCTI refused the connector's token:\n {2}- .*check OPENCTI_TOKEN/,
  );
  assert.equal(error.cause, refused);
});

Deno.test("a certificate failure names OPENCTI_SSL_VERIFY; TLS on a plain port names OPENCTI_URL", () => {
  const certificate = new OpenCtiError("untrusted", {
    kind: "tls",
    cause: new TypeError("fetch failed", {
      cause: new Error("invalid peer certificate: UnknownIssuer"),
    }),
  });
  assert.deepEqual(issueOf(startupFailure(certificate, "platform")), [
    "opencti.ssl_verify",
    "OPENCTI_SSL_VERIFY",
  ]);
  const mismatch = new OpenCtiError("mismatch", {
    kind: "tls",
    cause: new TypeError("fetch failed", { cause: new Error("received corrupt message") }),
  });
  assert.deepEqual(issueOf(startupFailure(mismatch, "platform")), ["opencti.url", "OPENCTI_URL"]);
});

Deno.test("an HTTP 404 from the platform is a configuration problem on OPENCTI_URL; a 502 is not", () => {
  const notFound = new OpenCtiError("404", { kind: "http", status: 404 });
  assert.deepEqual(issueOf(startupFailure(notFound, "platform")), ["opencti.url", "OPENCTI_URL"]);
  const down = new OpenCtiError("502", { kind: "http", status: 502, transient: true });
  assert.equal(startupFailure(down, "platform"), down);
});

Deno.test("a missing listen queue gets the fix appended; a broker error that has one is kept", () => {
  const missing = new BrokerError('Queue "listen_x" does not exist (NOT_FOUND)');
  const explained = startupFailure(missing, "queue");
  assert.ok(explained instanceof BrokerError);
  assert.match(explained.message, /NOT_FOUND\); the platform creates a connector's queues/);
  const refused = startupFailure(new BrokerError("ACCESS_REFUSED - login refused"), "broker");
  assert.match(refused.message, /check the MQ_USER\/MQ_PASS overrides/);
});

Deno.test("a refused vendor key is a configuration problem on the key's env var and stops start-up", () => {
  const error = vendorProbeFailure(
    new VendorError("Beta answered 401", { vendor: "beta", kind: "auth", status: 401 }),
    BETA_VENDOR,
  );
  assert.deepEqual(issueOf(error), ["beta_intel.api_key", "BETA_INTEL_API_KEY"]);
  assert.match(error.message, /^Beta Intel refused the API key:/);
  assert.equal(isVendorProbeFatal(error), true);
});

Deno.test("a vendor that is down or rate-limited does not stop start-up", () => {
  for (const kind of ["network", "timeout", "server", "rate_limited"] as const) {
    const failure = new VendorError("down", { vendor: "beta", kind });
    const error = vendorProbeFailure(failure, BETA_VENDOR);
    assert.equal(error, failure, kind);
    assert.equal(isVendorProbeFatal(error), false, kind);
  }
  assert.equal(isVendorProbeFatal(new TypeError("a bug")), true, "an unexpected error stops it");
});
