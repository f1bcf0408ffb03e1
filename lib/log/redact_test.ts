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
