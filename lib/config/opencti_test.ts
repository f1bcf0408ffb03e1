import assert from "node:assert/strict";
import { buildConfig } from "./load.ts";
import { parseConfigYaml } from "./source.ts";
import { envFrom, issuesOf, TEST_ID, TEST_VENDORS } from "./testing.ts";

const TOKEN = "octi-token-0123456789";
const BASE = `
opencti: { url: "http://octi:8080", token: "${TOKEN}" }
alpha: { api_key: "alpha-key-secret-42" }
`;
const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
const KEY_PEM = "-----BEGIN PRIVATE KEY-----\nMIIE-secret-key-body\n-----END PRIVATE KEY-----\n";

function build(env: Record<string, string>, files: Record<string, string> = {}) {
  return buildConfig({
    yaml: parseConfigYaml(BASE, "config.yml"),
    env: envFrom({ CONNECTOR_ID: TEST_ID, ...env }),
    vendors: TEST_VENDORS,
    readFile: (path) =>
      Object.hasOwn(files, path)
        ? Promise.resolve(files[path]!)
        : Promise.reject(new Deno.errors.NotFound(`No such file: ${path}`)),
  });
}

Deno.test("an OpenCTI URL that is not http(s), or a blank token, is a config issue before any call", async () => {
  const issues = await issuesOf(build({ OPENCTI_URL: "localhost:8080", OPENCTI_TOKEN: " " }));
  assert.deepEqual(issues, [
    '- opencti.url (OPENCTI_URL): must be an http(s) URL, got "localhost:8080"',
    "- opencti.token (OPENCTI_TOKEN): is required",
  ]);
  const notUrl = await issuesOf(build({ OPENCTI_URL: "not a url" }));
  assert.deepEqual(notUrl, [
    '- opencti.url (OPENCTI_URL): must be an http(s) URL, got "not a url"',
  ]);
});

Deno.test("the OpenCTI URL loses its trailing slashes; one ending in /graphql is refused with the fix", async () => {
  assert.equal(
    (await build({ OPENCTI_URL: "http://octi:8080/base//" })).opencti.url,
    "http://octi:8080/base",
  );
  const issues = await issuesOf(build({ OPENCTI_URL: "https://octi.example/base/graphql/" }));
  assert.deepEqual(issues, [
    '- opencti.url (OPENCTI_URL): ends with "/graphql"; set it to the platform\'s base URL without it ("https://octi.example/base"): the connector adds /graphql itself',
  ]);
});

Deno.test("custom headers are parsed into a record; a bad entry is a config issue that hides its value", async () => {
  const config = await build({ OPENCTI_CUSTOM_HEADERS: "X-Tenant: blue ; X-Trace:a:b;;" });
  assert.deepEqual(config.opencti.customHeaders, { "X-Tenant": "blue", "X-Trace": "a:b" });
  assert.deepEqual((await build({})).opencti.customHeaders, {});
  assert.deepEqual((await build({ OPENCTI_CUSTOM_HEADERS: ";;  ;" })).opencti.customHeaders, {});
  const issues = await issuesOf(
    build({ OPENCTI_CUSTOM_HEADERS: "X-Ok:1;no-colon-secret-value;Bad Name:v" }),
  );
  assert.deepEqual(issues, [
    '- opencti.custom_headers (OPENCTI_CUSTOM_HEADERS): entry 2 has no ":" between the header name and its value (expected "name1:value1;name2:value2")',
    '- opencti.custom_headers (OPENCTI_CUSTOM_HEADERS): entry 3 has an invalid header name (expected "name1:value1;name2:value2")',
  ]);
  assert.ok(!issues.join("\n").includes("no-colon-secret-value"));
});

Deno.test("OPENCTI_SSL_VERIFY true or false is kept as verify; a path is read into the CA certificates", async () => {
  assert.deepEqual((await build({})).opencti.tls, { verify: false }, "pycti's default");
  assert.deepEqual((await build({ OPENCTI_SSL_VERIFY: "true" })).opencti.tls, { verify: true });
  const withCa = await build({ OPENCTI_SSL_VERIFY: "/etc/octi/ca.pem" }, {
    "/etc/octi/ca.pem": CA,
  });
  assert.deepEqual(withCa.opencti.tls, { verify: true, caCerts: [CA] });
});

Deno.test("a missing CA bundle, or one without a certificate, is a config issue naming OPENCTI_SSL_VERIFY, with the other issues", async () => {
  const missing = await issuesOf(
    build({ OPENCTI_SSL_VERIFY: "/nope/ca.pem", CONNECTOR_CONCURRENCY: "many" }),
  );
  assert.deepEqual(missing, [
    '- connector.concurrency (CONNECTOR_CONCURRENCY): must be an integer, got "many"',
    '- opencti.ssl_verify (OPENCTI_SSL_VERIFY): cannot read the CA bundle "/nope/ca.pem": no such file; set it to the path of a readable PEM CA bundle, or to true to use the system\'s trusted roots',
  ]);
  const notPem = await issuesOf(
    build({ OPENCTI_SSL_VERIFY: "/etc/octi/ca.pem" }, { "/etc/octi/ca.pem": "hello" }),
  );
  assert.match(
    notPem[0]!,
    /^- opencti\.ssl_verify \(OPENCTI_SSL_VERIFY\): cannot use the CA bundle "\/etc\/octi\/ca.pem": it holds no PEM certificate/,
  );
});

Deno.test("broker TLS material given as paths is read into PEM text; the key's text becomes a secret", async () => {
  const config = await build(
    { MQ_USE_SSL: "true", MQ_USE_SSL_CA: "/tls/ca.pem", MQ_USE_SSL_KEY: "/tls/key.pem" },
    { "/tls/ca.pem": CA, "/tls/key.pem": KEY_PEM },
  );
  assert.equal(config.mq.use_ssl_ca, CA);
  assert.equal(config.mq.use_ssl_key, KEY_PEM);
  assert.ok(config.secrets.includes(KEY_PEM));
  const inline = await build({ MQ_USE_SSL_CERT: CA });
  assert.equal(inline.mq.use_ssl_cert, CA.trim(), "PEM text is kept as it is");
});

Deno.test("an unreadable broker key file is a config issue naming MQ_USE_SSL_KEY without its value", async () => {
  const issues = await issuesOf(build({ MQ_USE_SSL_KEY: "/tls/missing-key.pem" }));
  assert.deepEqual(issues, [
    "- mq.use_ssl_key (MQ_USE_SSL_KEY): is neither PEM text nor a readable PEM file: cannot read the client private key: no such file",
  ]);
});

Deno.test("a malformed CONNECTOR_CACHE_URL is a config issue that never quotes the URL", async () => {
  const ok = await build({ CONNECTOR_CACHE_URL: "rediss://user:pw-secret-1@cache:6380/2" });
  assert.equal(ok.runtime.cache.url, "rediss://user:pw-secret-1@cache:6380/2");
  const cases: Array<[string, RegExp]> = [
    ["not a url pw-secret-1", /is not a valid URL/],
    ["http://user:pw-secret-1@cache:6379", /uses the scheme "http:"/],
    ["redis://user:pw-secret-1@cache/db", /has a path that is not a database number/],
    ["redis://user:pw-secret-1%zz@cache:6379", /password that is not valid percent-encoding/],
    ["redis://user:pw-secret-1@cache:99999", /is not a valid URL/],
  ];
  for (const [url, reason] of cases) {
    const issues = await issuesOf(build({ CONNECTOR_CACHE_URL: url }));
    assert.equal(issues.length, 1, url);
    assert.match(issues[0]!, /^- connector\.cache_url \(CONNECTOR_CACHE_URL\): /);
    assert.match(issues[0]!, reason, url);
    assert.ok(!issues[0]!.includes("pw-secret-1"), url);
  }
});
