import assert from "node:assert/strict";
import { OpenCtiError } from "../../lib/errors/mod.ts";
import { captureLogger } from "../../lib/log/testing.ts";
import { createOpenCtiClient, type TlsSettings } from "../../lib/opencti/mod.ts";
import { type FakeOpenCti, startFakeOpenCti } from "../fake_opencti/mod.ts";

/** A private CA and server certificates it signed, made with openssl in a temporary directory. */
interface Pki {
  ca: string;
  otherCa: string;
  /** Valid for localhost and 127.0.0.1. */
  server: { cert: string; key: string };
  /** Valid for localhost only. */
  localhostOnly: { cert: string; key: string };
}

async function openssl(cwd: string, ...args: string[]): Promise<void> {
  const { code, stderr } = await new Deno.Command("openssl", { args, cwd, stderr: "piped" })
    .output();
  if (code !== 0) throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(stderr)}`);
}

async function makePki(dir: string): Promise<Pki> {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  /** `openssl req`: a new key in `<name>.key`, and the request or (with -x509) certificate. */
  const newKey = (name: string, subject: string, ...output: string[]) =>
    openssl(dir, "req", ...ec, "-keyout", `${name}.key`, "-subj", subject, ...output);
  const cas = [
    ["ca", "/CN=Enrich Test Private CA/O=Example Corp"],
    ["other", "/CN=Some Other CA/O=Example Corp"],
  ] as const;
  for (const [name, subject] of cas) {
    await newKey(name, subject, "-x509", "-days", "2", "-out", `${name}.pem`);
  }
  const issue = async (name: string, names: string) => {
    await Deno.writeTextFile(`${dir}/${name}.ext`, `subjectAltName=${names}\n`);
    await newKey(name, "/CN=localhost", "-out", `${name}.csr`);
    await openssl(
      dir,
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
    );
    return {
      cert: await Deno.readTextFile(`${dir}/${name}.pem`),
      key: await Deno.readTextFile(`${dir}/${name}.key`),
    };
  };
  return {
    ca: await Deno.readTextFile(`${dir}/ca.pem`),
    otherCa: await Deno.readTextFile(`${dir}/other.pem`),
    server: await issue("server", "DNS:localhost,IP:127.0.0.1"),
    localhostOnly: await issue("localhost", "DNS:localhost"),
  };
}

interface Attempt {
  error: OpenCtiError | undefined;
  version: string | undefined;
  pauses: number;
  ms: number;
}

/** One `about()` with 6 retries allowed, counting the pauses it asked for. */
async function about(url: string, fake: FakeOpenCti, tls?: TlsSettings): Promise<Attempt> {
  let pauses = 0;
  const client = createOpenCtiClient({
    url,
    token: fake.token,
    userAgent: "opencti-enrich/test",
    logger: captureLogger().logger,
    retry: { maxRetries: 6, baseDelayMs: 1000, maxDelayMs: 1000 },
    sleep: () => {
      pauses += 1;
      return Promise.resolve();
    },
    ...(tls ? { tls } : {}),
  });
  const started = performance.now();
  try {
    const { version } = await client.about();
    return { error: undefined, version, pauses, ms: performance.now() - started };
  } catch (error) {
    if (!(error instanceof OpenCtiError)) throw error;
    return { error, version: undefined, pauses, ms: performance.now() - started };
  } finally {
    await client.close();
  }
}

function assertFailedAtOnce(attempt: Attempt): OpenCtiError {
  const { error } = attempt;
  assert.ok(error, "expected a failure");
  assert.equal(error.kind, "tls", error.message);
  assert.equal(error.transient, false);
  assert.equal(attempt.pauses, 0, "not retried");
  assert.ok(attempt.ms < 3_000, `failed at once, took ${Math.round(attempt.ms)} ms`);
  return error;
}

Deno.test("OpenCTI behind a private CA: trusted with its CA, and a clear fix without it", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "opencti-tls-" });
  await using _cleanup = { [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
  const pki = await makePki(dir);
  await using https = await startFakeOpenCti({ tls: pki.server });
  await using plain = await startFakeOpenCti();
  assert.match(https.url, /^https:\/\//);

  await t.step("with the CA in caCerts, the client talks to it", async () => {
    const attempt = await about(https.url, https, { verify: true, caCerts: [pki.ca] });
    assert.equal(attempt.error, undefined, attempt.error?.message);
    assert.equal(attempt.version, "6.8.10");
  });

  await t.step("without the CA, it fails at once naming the issuer and both fixes", async () => {
    const error = assertFailedAtOnce(await about(https.url, https, { verify: true }));
    assert.match(error.message, /certificate not trusted \(UnknownIssuer\)/);
    assert.match(error.message, /issued by "CN=Enrich Test Private CA, O=Example Corp"/);
    assert.match(error.message, /set OPENCTI_SSL_VERIFY .* to the path of the CA bundle \(PEM\)/);
    assert.match(error.message, /DENO_TLS_CA_STORE=system/);
    assert.doesNotMatch(error.message, /cannot turn certificate verification off/);
    assert.doesNotMatch(error.message, /fetch failed/);
    assert.equal(https.calls.length, 1, "only the trusted call reached the platform");
  });

  await t.step(
    "with verify false (pycti's default), it says Deno cannot turn verification off",
    async () => {
      const error = assertFailedAtOnce(await about(https.url, https, { verify: false }));
      assert.match(error.message, /issued by "CN=Enrich Test Private CA/);
      assert.match(
        error.message,
        /OPENCTI_SSL_VERIFY is false .* Deno cannot turn certificate verification off/,
      );
      assert.match(error.message, /DENO_TLS_CA_STORE=system/);
    },
  );

  await t.step("with another CA in caCerts, it says the bundle lacks the signing CA", async () => {
    const error = assertFailedAtOnce(
      await about(https.url, https, { verify: true, caCerts: [pki.otherCa] }),
    );
    assert.match(error.message, /does not contain the CA that signed it/);
  });

  await t.step("a certificate for another host name says which names it is valid for", async () => {
    await using other = await startFakeOpenCti({ tls: pki.localhostOnly });
    const error = assertFailedAtOnce(
      await about(other.url, other, { verify: true, caCerts: [pki.ca] }),
    );
    assert.match(error.message, /certificate not valid for this host name/);
    assert.match(error.message, /certificate for "localhost"/);
    assert.match(error.message, /does not name the host "127\.0\.0\.1"/);
  });

  await t.step("http:// against the HTTPS port says the server expects TLS", async () => {
    const error = assertFailedAtOnce(await about(https.url.replace("https:", "http:"), https));
    assert.match(error.message, /expects TLS on this port \(use https:\/\/\)/);
    assert.match(error.message, /OPENCTI_URL/);
  });

  await t.step("https:// against a plain port says the server does not speak TLS", async () => {
    const error = assertFailedAtOnce(await about(plain.url.replace("http:", "https:"), plain));
    assert.match(error.message, /does not speak TLS on this port/);
    assert.equal(plain.calls.length, 0);
  });
});
