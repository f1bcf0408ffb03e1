import assert from "node:assert/strict";
import { expectVendorError, testClient, unusedPort, withServer } from "./_testing.ts";

const TLS = {
  cert: await Deno.readTextFile(new URL("./testdata/localhost.crt", import.meta.url)),
  key: await Deno.readTextFile(new URL("./testdata/localhost.key", import.meta.url)),
};

async function withTlsServer(body: (origin: string) => Promise<void>): Promise<void> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, ...TLS, onListen() {}, onError: () => new Response() },
    () => Response.json({}),
  );
  try {
    await body(`https://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
  }
}

Deno.test("an untrusted certificate is a certificate error, not retried, saying how to trust a CA", async () => {
  await withTlsServer(async (origin) => {
    const { http, events } = testClient(`${origin}/api`);
    const error = await http.getJson("x").catch((e) => e);
    expectVendorError(error, "certificate");
    assert.match(
      error.message,
      /^Cannot reach acme at https:\/\/127\.0\.0\.1:\d+\/api for "x": certificate not trusted \(\w+\); set DENO_CERT=<path to the CA's PEM file> to trust a private CA, or DENO_TLS_CA_STORE=system to use the system trust store/,
    );
    assert.deepEqual(events, ["acme:network"], "one attempt only");
    assert.ok(error.cause instanceof Error, "the runtime's error is kept as the cause");
  });
});

Deno.test("https:// to a plain port and http:// to a TLS port are certificate errors, not retried", async () => {
  await withServer(() => Response.json({}), async (_base, origin) => {
    const { http, events } = testClient(origin.replace("http:", "https:"));
    const error = await http.getJson("x").catch((e) => e);
    expectVendorError(error, "certificate");
    assert.match(
      error.message,
      /: the server does not speak TLS on this port \(use http:\/\/ or the TLS port\)$/,
    );
    assert.equal(events.length, 1);
  });
  await withTlsServer(async (origin) => {
    const { http, events } = testClient(origin.replace("https:", "http:"));
    const error = await http.getJson("x").catch((e) => e);
    expectVendorError(error, "certificate");
    assert.match(error.message, /: the server expects TLS on this port \(use https:\/\/\)$/);
    assert.equal(events.length, 1);
  });
});

Deno.test("an unknown host says the name does not resolve", async () => {
  const { http } = testClient("http://vendor.invalid/api", { retry: { maxRetries: 0 } });
  const error = await http.getJson("x").catch((e) => e);
  expectVendorError(error, "network");
  assert.equal(
    error.message,
    'Cannot reach acme at http://vendor.invalid/api for "x": the host name does not resolve (DNS lookup failed)',
  );
});

Deno.test("a connection closed by the server is retried, then says so", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const accepting = (async () => {
    for await (const connection of listener) connection.close();
  })();
  try {
    const { http, events } = testClient(`http://127.0.0.1:${port}/api`);
    const error = await http.getJson("x").catch((e) => e);
    expectVendorError(error, "network");
    assert.match(
      error.message,
      /: the connection was closed by the other side \(gave up after 3 attempts\)$/,
    );
    assert.equal(events.filter((e) => e === "acme:network").length, 3);
  } finally {
    listener.close();
    await accepting.catch(() => {});
  }
});

Deno.test("a refused connection is reported once per attempt with its cause", async () => {
  const { http, captured } = testClient(`http://127.0.0.1:${unusedPort()}/api`);
  await http.getJson("x").catch(() => {});
  const retries = captured.records().filter((r) => r.message === "Vendor request failed, retrying");
  assert.equal(retries.length, 2);
  assert.match(String(retries[0]!.attributes?.reason), /connection refused/);
});

Deno.test("verifyTls false warns with what works instead of a runtime flag", () => {
  const { captured } = testClient("https://vendor.example/api", { verifyTls: false });
  const [warning] = captured.records();
  assert.equal(warning?.level, "WARNING");
  assert.doesNotMatch(warning!.message, /unsafely-ignore-certificate-errors/);
  assert.match(warning!.message, /DENO_CERT=/);
  assert.match(warning!.message, /DENO_TLS_CA_STORE=system/);
});
