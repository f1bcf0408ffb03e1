import assert from "node:assert/strict";
import { REDACTED, SecretRedactor } from "./redact.ts";

Deno.test("redact() masks every registered secret, longest first", () => {
  const redactor = new SecretRedactor();
  redactor.add("abcd", "abcdefgh");
  assert.equal(redactor.redact("x abcdefgh y abcd"), `x ${REDACTED} y ${REDACTED}`);
});

Deno.test("very short or empty values are not registered, so lines stay readable", () => {
  const redactor = new SecretRedactor();
  redactor.add("", "a", "ab", undefined, null);
  assert.equal(redactor.size, 0);
  assert.equal(redactor.redact("a b"), "a b");
});

Deno.test("JSON-escaped and URL-encoded forms of a secret are masked too", () => {
  const redactor = new SecretRedactor();
  redactor.add('p"a/s s');
  assert.equal(redactor.redact(JSON.stringify({ pass: 'p"a/s s' })), `{"pass":"${REDACTED}"}`);
  assert.equal(
    redactor.redact(`amqp://u:${encodeURIComponent('p"a/s s')}@h`),
    `amqp://u:${REDACTED}@h`,
  );
});

Deno.test("every encoded form of a secret is masked: URL (either case), form, JSON \\/, base64", () => {
  const secret = "k+y/=Z é&x";
  const redactor = new SecretRedactor();
  redactor.add(secret);
  const url = encodeURIComponent(secret);
  const forms = [
    secret,
    url,
    url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    new URLSearchParams({ q: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1).replaceAll("/", "\\/"),
    btoa(String.fromCharCode(...new TextEncoder().encode(secret))),
  ];
  for (const form of forms) {
    const out = redactor.redact(`before ${form} after`);
    assert.ok(!out.includes(form), `${form} survived: ${out}`);
    assert.ok(out.includes(REDACTED), form);
  }
});

Deno.test("a secret inside a longer base64 text is masked at every alignment", () => {
  const secret = "resilience-vendor-key-1";
  const redactor = new SecretRedactor();
  redactor.add(secret);
  for (const prefix of ["", "u:", "ab:", "user:"]) {
    const encoded = btoa(`${prefix}${secret}`);
    const out = redactor.redact(`Authorization: Basic ${encoded}`);
    assert.ok(out.includes(REDACTED), `prefix "${prefix}": ${out}`);
    // Only the groups mixing the secret with its neighbours are left: at most one at each end.
    const left = out.replace("Authorization: Basic ", "").split(REDACTED).join("");
    const prefixChars = 4 * Math.floor(prefix.length / 3);
    assert.ok(left.length <= prefixChars + 8, `prefix "${prefix}" left ${left}`);
  }
});

Deno.test("excerpt() redacts before it cuts, so a cut never leaks a secret's first characters", () => {
  const secret = "0123456789abcdef-secret";
  const redactor = new SecretRedactor();
  redactor.add(secret);
  const text = `${"x".repeat(195)}${secret}`;
  const cut = redactor.excerpt(text, 200);
  assert.ok(!cut.includes("0123456789"), cut);
  assert.ok(cut.endsWith("…"));
});
