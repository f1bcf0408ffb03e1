import assert from "node:assert/strict";
import { describeConnectionFailure } from "./cause.ts";

function fetchFailure(inner: string): TypeError {
  return new TypeError("fetch failed", { cause: new Error(inner) });
}

Deno.test("describeConnectionFailure() tells refused, DNS, certificate and TLS mismatches apart", () => {
  const cases: Array<[string, string, boolean]> = [
    [
      "error sending request for url (http://127.0.0.1:18999/): client error (Connect): tcp connect error: Connection refused (os error 111)",
      "refused",
      true,
    ],
    [
      "error sending request for url (http://x.invalid/): client error (Connect): dns error: failed to lookup address information: Name or service not known",
      "dns",
      true,
    ],
    [
      "error sending request for url (https://localhost:1/): client error (Connect): invalid peer certificate: UnknownIssuer",
      "certificate",
      false,
    ],
    [
      "error sending request for url (https://127.0.0.1:5672/): client error (Connect): received corrupt message of type InvalidContentType",
      "tls_mismatch",
      false,
    ],
    [
      "error sending request from 127.0.0.1:1 for http://localhost:2/ (127.0.0.1:2): client error (SendRequest): invalid HTTP version parsed",
      "tls_mismatch",
      false,
    ],
    [
      "error sending request: client error (SendRequest): connection closed before message completed",
      "reset",
      true,
    ],
  ];
  for (const [inner, kind, transient] of cases) {
    const described = describeConnectionFailure(fetchFailure(inner));
    assert.equal(described.kind, kind, inner);
    assert.equal(described.transient, transient, inner);
    assert.equal(described.detail, inner);
  }
});

Deno.test("describeConnectionFailure() names the certificate problem", () => {
  const described = describeConnectionFailure(
    fetchFailure("client error (Connect): invalid peer certificate: UnknownIssuer"),
  );
  assert.equal(described.reason, "certificate not trusted (UnknownIssuer)");
});

Deno.test("describeConnectionFailure() names a certificate issued for another host", () => {
  const described = describeConnectionFailure(
    fetchFailure(
      'client error (Connect): invalid peer certificate: certificate not valid for name "127.0.0.1"; certificate is only valid for DnsName("localhost")',
    ),
  );
  assert.equal(described.reason, "certificate not trusted (NotValidForName)");
});

Deno.test("describeConnectionFailure() recognises a timeout anywhere in the chain", () => {
  const error = new Error("aborted", {
    cause: new DOMException("Timed out after 5 ms", "TimeoutError"),
  });
  assert.equal(describeConnectionFailure(error).kind, "timeout");
});

Deno.test("describeConnectionFailure() keeps an unknown cause's last words", () => {
  const described = describeConnectionFailure(
    fetchFailure(
      "error sending request for url (http://a/): client error (Connect): something odd",
    ),
  );
  assert.equal(described.kind, "unknown");
  assert.equal(described.reason, "something odd");
});
