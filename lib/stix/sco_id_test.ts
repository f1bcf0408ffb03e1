import assert from "node:assert/strict";
import { StixError } from "./errors.ts";
import { scoId } from "./sco_id.ts";
import { stixIdFromName } from "./uuid_v5.ts";

const MD5 = "44d88612fea8a8f36de82e1278abb02f";
const SHA1 = "3395856ce81f2b7382dee72602f798b642f14140";
const SHA256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f";
const SHA512 = "cc805d5fab1fd71a4ab352a9c533e65fb2d5b885518f4e565e68847223b8e6b8" +
  "5cb48f3afad842726d99239c9e36505c64b0dc9a061d9e507d833277ada336ab";

Deno.test("scoId() derives the spec's ipv4-addr id", () => {
  assert.equal(
    scoId("ipv4-addr", { value: "198.51.100.3" }),
    "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4",
  );
});

Deno.test("scoId() uses only value for every value-identified type", () => {
  for (const type of ["ipv4-addr", "ipv6-addr", "url", "mac-addr", "hostname"]) {
    assert.equal(
      scoId(type, { value: "Some-Value", x_opencti_score: 50, name: "ignored" }),
      stixIdFromName(type, '{"value":"Some-Value"}'),
      type,
    );
  }
});

Deno.test("scoId() lower-cases domain-name and email-addr values as the platform does", () => {
  assert.equal(
    scoId("domain-name", { value: "EXAMPLE.com" }),
    "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7",
  );
  assert.equal(
    scoId("email-addr", { value: "John@Example.COM" }),
    stixIdFromName("email-addr", '{"value":"john@example.com"}'),
  );
  // IPv6 values are not normalised (no compression, no case folding).
  assert.notEqual(
    scoId("ipv6-addr", { value: "2001:DB8::1" }),
    scoId("ipv6-addr", { value: "2001:db8::1" }),
  );
});

Deno.test("scoId() keeps one file hash: MD5, then SHA-1, SHA-256, SHA-512, then the first key", () => {
  const idOf = (hashes: Record<string, string>) => scoId("file", { hashes });
  const nameOf = (hashes: Record<string, string>) =>
    stixIdFromName("file", JSON.stringify({ hashes }));
  assert.equal(
    idOf({ "SHA-512": SHA512, "SHA-256": SHA256, "SHA-1": SHA1, "MD5": MD5 }),
    nameOf({ MD5 }),
  );
  assert.equal(
    idOf({ "SHA-512": SHA512, "SHA-256": SHA256, "SHA-1": SHA1 }),
    nameOf({ "SHA-1": SHA1 }),
  );
  assert.equal(idOf({ "SHA-512": SHA512, "SHA-256": SHA256 }), nameOf({ "SHA-256": SHA256 }));
  assert.equal(idOf({ "SSDEEP": "3:a:b", "SHA-512": SHA512 }), nameOf({ "SHA-512": SHA512 }));
  assert.equal(idOf({ "TLSH": "T1abc", "SSDEEP": "3:a:b" }), nameOf({ "TLSH": "T1abc" }));
});

Deno.test("scoId() puts hash names in spec spelling before choosing", () => {
  assert.equal(
    scoId("file", { hashes: { sha256: SHA256, md5: MD5 } }),
    "file--5a0c55a1-48a3-5003-9776-42946d1054cb",
  );
});

Deno.test("scoId() combines the file properties that are present, and only those", () => {
  assert.equal(
    scoId("file", { name: "a.exe", size: 10, hashes: { MD5 }, parent_directory_ref: undefined }),
    stixIdFromName("file", `{"hashes":{"MD5":"${MD5}"},"name":"a.exe"}`),
  );
  assert.equal(scoId("file", { name: "a.exe" }), stixIdFromName("file", '{"name":"a.exe"}'));
  assert.equal(
    scoId("file", { hashes: {}, name: "a.exe" }),
    stixIdFromName("file", '{"name":"a.exe"}'),
  );
});

Deno.test("scoId() identifies an x509-certificate by its hashes and serial number", () => {
  assert.equal(
    scoId("x509-certificate", {
      hashes: { "SHA-1": SHA1 },
      serial_number: "01:02",
      issuer: "CN=x",
    }),
    stixIdFromName("x509-certificate", `{"hashes":{"SHA-1":"${SHA1}"},"serial_number":"01:02"}`),
  );
  assert.equal(
    scoId("x509-certificate", { serial_number: "01:02" }),
    stixIdFromName("x509-certificate", '{"serial_number":"01:02"}'),
  );
});

Deno.test("scoId() refuses an unknown type with the list of known ones", () => {
  assert.throws(
    () => scoId("network-traffic", { value: "x" }),
    (error: unknown) =>
      error instanceof StixError && error.stixType === "network-traffic" &&
      /Cannot derive an id for STIX type "network-traffic": use one of ipv4-addr,/.test(
        error.message,
      ),
  );
});

Deno.test("scoId() refuses input that has no id-contributing property", () => {
  assert.throws(
    () => scoId("ipv4-addr", {}),
    /Cannot derive an id for STIX type "ipv4-addr": it needs a "value"/,
  );
  assert.throws(() => scoId("file", { size: 3 }), /it needs one of "hashes", "name"/);
  assert.throws(
    () => scoId("url", { value: "" }),
    /Invalid url value: expected a non-empty string/,
  );
  assert.throws(
    () => scoId("autonomous-system", { number: "15169" }),
    /Invalid autonomous-system number "15169"/,
  );
  assert.throws(
    () => scoId("file", { hashes: { MD5: "xyz" } }),
    /Invalid file MD5 hash "xyz": expected 32 hexadecimal/,
  );
});
