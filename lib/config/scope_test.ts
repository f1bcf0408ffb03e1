import assert from "node:assert/strict";
import { ConfigError } from "../errors/mod.ts";
import { buildConfig } from "./load.ts";
import { checkScope } from "./scope.ts";
import { envFrom, TEST_ID, TEST_VENDORS } from "./testing.ts";

const SILENT = {
  title: "Silent Push",
  supportedTypes: ["Indicator", "IPv4-Addr", "IPv6-Addr", "Domain-Name", "Hostname", "Url"],
};

Deno.test("scope items are matched case-insensitively and take the platform's spelling", () => {
  assert.deepEqual(checkScope(["ipv4-addr", " URL ", "IPv4-Addr", "domain-NAME"], SILENT), {
    scope: ["IPv4-Addr", "Url", "Domain-Name"],
    problems: [],
  });
});

Deno.test("a typo'd scope type is refused with the nearest type and the vendor's list", () => {
  const { problems } = checkScope(["IPv4-Adr"], SILENT);
  assert.deepEqual(problems, [
    'has "IPv4-Adr", which is not an OpenCTI entity type (did you mean "IPv4-Addr"?), so the platform would never send it; Silent Push enriches: Indicator, IPv4-Addr, IPv6-Addr, Domain-Name, Hostname, Url',
  ]);
  assert.doesNotMatch(checkScope(["Zebra"], SILENT).problems[0]!, /did you mean/);
});

Deno.test("a real entity type the vendor cannot enrich is refused, naming the vendor's types", () => {
  const { problems } = checkScope(["Email-Addr"], SILENT);
  assert.deepEqual(problems, [
    'has "Email-Addr", which Silent Push cannot enrich (the platform would send it and the work would fail); Silent Push enriches: Indicator, IPv4-Addr, IPv6-Addr, Domain-Name, Hostname, Url',
  ]);
});

Deno.test("the loader reports every refused scope item on CONNECTOR_SCOPE and normalises the rest", async () => {
  const build = (scope: string) =>
    buildConfig({
      yaml: { opencti: { url: "http://octi", token: "octi-token-1" } },
      env: envFrom({ CONNECTOR_ID: TEST_ID, ALPHA_API_KEY: "alpha-key-1", CONNECTOR_SCOPE: scope }),
      vendors: TEST_VENDORS,
    });
  assert.deepEqual((await build("url,IPV4-ADDR")).instances[0]?.scope, ["Url", "IPv4-Addr"]);
  try {
    await build("IPv4-Adr,StixFile,Url");
    assert.fail("expected a ConfigError");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.issues.map((issue) => [issue.path, issue.env]), [
      ["connector.scope", "CONNECTOR_SCOPE"],
      ["connector.scope", "CONNECTOR_SCOPE"],
    ]);
    assert.match(error.issues[1]!.message, /"StixFile", which Alpha Intel cannot enrich/);
  }
});
