import assert from "node:assert/strict";
import { assertStixError } from "./_testing.ts";
import {
  autonomousSystem,
  domainName,
  emailAddr,
  file,
  hostname,
  ipv4Addr,
  ipv6Addr,
  macAddr,
  url,
  valueObservable,
  x509Certificate,
} from "./observables.ts";
import { TLP_MARKING_IDS } from "./tlp.ts";

const AUTHOR = "identity--d49f2c8f-c03d-5064-8265-7790080f4a4a";
const AMBER = TLP_MARKING_IDS["TLP:AMBER+STRICT"];
const MD5 = "6c885bee0b4ef2f539b26298b252212d";
const SHA1 = "3395856ce81f2b7382dee72602f798b642f14140";
const SHA256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f";

Deno.test("ipv4Addr() emits only the set properties, with OpenCTI's observable names", () => {
  assert.deepEqual(
    ipv4Addr("8.8.8.8", {
      score: 80,
      labels: ["is_proxy"],
      description: "Seen by the vendor",
      createdByRef: AUTHOR,
      markingRefs: [AMBER],
      externalReferences: [{ source_name: "Vendor", url: "https://vendor.example/ip/8.8.8.8" }],
    }),
    {
      type: "ipv4-addr",
      spec_version: "2.1",
      id: "ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7",
      value: "8.8.8.8",
      x_opencti_score: 80,
      x_opencti_description: "Seen by the vendor",
      x_opencti_labels: ["is_proxy"],
      object_marking_refs: [AMBER],
      x_opencti_created_by_ref: AUTHOR,
      x_opencti_external_references: [{
        source_name: "Vendor",
        url: "https://vendor.example/ip/8.8.8.8",
      }],
    },
  );
});

Deno.test("an observable without options has only type, spec_version, id and value", () => {
  assert.deepEqual(ipv6Addr("2001:db8::1", { labels: [], markingRefs: [] }), {
    type: "ipv6-addr",
    spec_version: "2.1",
    id: "ipv6-addr--6469e3a9-b053-5e34-a025-9396ae051d26",
    value: "2001:db8::1",
  });
});

Deno.test("domainName() and emailAddr() lower-case their values, as the platform stores them", () => {
  assert.deepEqual(domainName("Citi-Bank.RU"), {
    type: "domain-name",
    spec_version: "2.1",
    id: "domain-name--47eeb34d-8177-5c44-9716-2295242c6954",
    value: "citi-bank.ru",
  });
  assert.equal(emailAddr("A@B.example").value, "a@b.example");
});

Deno.test("the value builders emit their own STIX type", () => {
  assert.equal(hostname("ns1.example.com").type, "hostname");
  assert.equal(
    url("http://example.com/malware.exe").id,
    "url--afdf5315-f854-54d9-8b78-fdc90c16e3d8",
  );
  assert.equal(macAddr("00:00:5e:00:53:01").type, "mac-addr");
  assert.deepEqual(valueObservable("ipv4-addr", "1.2.3.4"), ipv4Addr("1.2.3.4"));
});

Deno.test("observable builders refuse a score outside 0–100 or not an integer", () => {
  assertStixError(
    () => ipv4Addr("1.2.3.4", { score: 101 }),
    "x_opencti_score",
    /101 is outside 0–100/,
  );
  assertStixError(() => ipv4Addr("1.2.3.4", { score: -1 }), "x_opencti_score", /outside 0–100/);
  assertStixError(
    () => ipv4Addr("1.2.3.4", { score: 5.5 }),
    "x_opencti_score",
    /"5.5" is not an integer/,
  );
  assert.equal(ipv4Addr("1.2.3.4", { score: 0 }).x_opencti_score, 0);
});

Deno.test("observable builders refuse a blank value, bad refs, labels and external references", () => {
  assertStixError(
    () => domainName(" "),
    "value",
    /Invalid domain-name value: expected a non-empty string/,
  );
  assertStixError(
    () => ipv4Addr("1.2.3.4", { createdByRef: "organization--x" }),
    "x_opencti_created_by_ref",
    /"organization--x" is not a STIX id/,
  );
  assertStixError(
    () => ipv4Addr("1.2.3.4", { createdByRef: AMBER }),
    "x_opencti_created_by_ref",
    /is not an id of type "identity"/,
  );
  assertStixError(
    () => ipv4Addr("1.2.3.4", { markingRefs: [AUTHOR] }),
    "object_marking_refs",
    /is not an id of type "marking-definition"/,
  );
  assertStixError(
    () => ipv4Addr("1.2.3.4", { labels: [""] }),
    "x_opencti_labels",
    /non-empty string/,
  );
  assertStixError(
    () => ipv4Addr("1.2.3.4", { externalReferences: [{ source_name: "Vendor" }] }),
    "x_opencti_external_references",
    /the reference from "Vendor" needs a description, a url or an external_id/,
  );
  assertStixError(
    // @ts-expect-error: checking the runtime guard on the type
    () => valueObservable("file", "x"),
    "type",
    /not an observable identified by a value/,
  );
});

Deno.test("autonomousSystem() carries number and name, identified by the number", () => {
  assert.deepEqual(autonomousSystem(15169, { name: "GOOGLE", score: 10, createdByRef: AUTHOR }), {
    type: "autonomous-system",
    spec_version: "2.1",
    id: "autonomous-system--7afc7bdf-d070-5add-90ff-f93503b1654d",
    number: 15169,
    name: "GOOGLE",
    x_opencti_score: 10,
    x_opencti_created_by_ref: AUTHOR,
  });
  assertStixError(() => autonomousSystem(-1), "number", /-1 is outside 0–4294967295/);
  assertStixError(() => autonomousSystem(Number("AS15169")), "number", /"NaN" is not an integer/);
});

// Expected ids below were computed independently with Python's uuid.uuid5 over sorted compact JSON.
Deno.test("file() emits spec-spelled hashes, size and name, identified by the MD5", () => {
  assert.deepEqual(file({ hashes: { sha256: SHA256, md5: MD5 }, size: 1024, name: "a.exe" }), {
    type: "file",
    spec_version: "2.1",
    id: "file--aa06f579-cfe9-5ad8-b84d-0558eec7796f",
    hashes: { "SHA-256": SHA256, "MD5": MD5 },
    size: 1024,
    name: "a.exe",
  });
});

Deno.test("file() refuses a malformed hash, a negative size and an empty description", () => {
  assertStixError(
    () => file({ hashes: { MD5: "abc" } }),
    "hashes",
    /Invalid file MD5 hash "abc": expected 32/,
  );
  assertStixError(() => file({ hashes: { "SHA-1": MD5 } }), "hashes", /SHA-1 hash .* expected 40/);
  assertStixError(() => file({ hashes: { MD5, md5: MD5 } }), "hashes", /"MD5" is given twice/);
  assertStixError(() => file({ hashes: { MD5 }, size: -1 }), "size", /-1 is outside/);
  assertStixError(() => file({}), "hashes", /a file needs hashes or a name/);
  assertStixError(() => file({ hashes: {} }), "hashes", /a file needs hashes or a name/);
});

Deno.test("x509Certificate() emits the certificate fields with millisecond UTC validity", () => {
  assert.deepEqual(
    x509Certificate({
      hashes: { "SHA-1": SHA1 },
      serialNumber: "0a:0b",
      issuer: "Example CA",
      signatureAlgorithm: "sha256WithRSAEncryption",
      isSelfSigned: false,
      validityNotBefore: "2025-01-01T00:00:00Z",
      validityNotAfter: new Date("2026-01-01T00:00:00Z"),
    }, { createdByRef: AUTHOR }),
    {
      type: "x509-certificate",
      spec_version: "2.1",
      id: "x509-certificate--295373b2-7a8e-54dd-843a-c5a28925bd34",
      is_self_signed: false,
      hashes: { "SHA-1": SHA1 },
      serial_number: "0a:0b",
      signature_algorithm: "sha256WithRSAEncryption",
      issuer: "Example CA",
      validity_not_before: "2025-01-01T00:00:00.000Z",
      validity_not_after: "2026-01-01T00:00:00.000Z",
      x_opencti_created_by_ref: AUTHOR,
    },
  );
});

Deno.test("x509Certificate() refuses a certificate without hashes or serial number, or inverted validity", () => {
  assertStixError(
    () => x509Certificate({ issuer: "Example CA" }),
    "hashes",
    /a certificate needs hashes or a serial_number/,
  );
  assertStixError(
    () =>
      x509Certificate({
        serialNumber: "01",
        validityNotBefore: "2026-01-01T00:00:00Z",
        validityNotAfter: "2025-01-01T00:00:00Z",
      }),
    "validity_not_after",
    /is before validity_not_before/,
  );
  assertStixError(
    () => x509Certificate({ serialNumber: "01", validityNotBefore: "yesterday" }),
    "validity_not_before",
    /Invalid validity_not_before "yesterday"/,
  );
});
