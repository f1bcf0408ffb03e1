import assert from "node:assert/strict";
import { OpenCtiError } from "../errors/mod.ts";
import {
  compareVersions,
  isTestedVersion,
  MIN_SUPPORTED_VERSION,
  parseVersion,
  refuseVersion,
  supportsEnrichmentUpdateFields,
} from "./version.ts";

Deno.test("parseVersion() reads major.minor.patch and tolerates a v prefix and a suffix", () => {
  assert.deepEqual(parseVersion("6.8.10"), { major: 6, minor: 8, patch: 10 });
  assert.deepEqual(parseVersion("v6.8.0"), { major: 6, minor: 8, patch: 0 });
  assert.deepEqual(parseVersion("6.9.1-rc2"), { major: 6, minor: 9, patch: 1 });
  assert.equal(parseVersion("6.8"), undefined);
  assert.equal(parseVersion("latest"), undefined);
});

Deno.test("compareVersions() compares numerically, not as text", () => {
  assert.ok(compareVersions("6.8.9", "6.8.10") < 0);
  assert.ok(compareVersions("6.10.0", "6.9.9") > 0);
  assert.equal(compareVersions("6.8.0", "v6.8.0"), 0);
  assert.throws(() => compareVersions("x", "6.8.0"), OpenCtiError);
});

Deno.test("refuseVersion() refuses platforms older than 6.8.0 with a reason naming the minimum", () => {
  assert.equal(MIN_SUPPORTED_VERSION, "6.8.0");
  const reason = refuseVersion("6.7.20");
  assert.ok(reason?.includes('"6.7.20"') && reason.includes("6.8.0"), reason);
  assert.ok(refuseVersion("5.12.0"));
});

Deno.test("refuseVersion() refuses an unparseable version clearly", () => {
  const reason = refuseVersion("banana");
  assert.ok(reason?.includes('"banana"'), reason);
});

Deno.test("refuseVersion() serves 6.8.x and later versions", () => {
  for (const version of ["6.8.0", "6.8.8", "6.8.10", "6.9.0", "7.0.1"]) {
    assert.equal(refuseVersion(version), undefined, version);
  }
});

Deno.test("isTestedVersion() is true only for the 6.8 line", () => {
  assert.ok(isTestedVersion("6.8.0"));
  assert.ok(isTestedVersion("6.8.10"));
  assert.ok(!isTestedVersion("6.9.0"));
  assert.ok(!isTestedVersion("nonsense"));
});

Deno.test("supportsEnrichmentUpdateFields() starts at 6.8.9", () => {
  assert.ok(!supportsEnrichmentUpdateFields("6.8.0"));
  assert.ok(!supportsEnrichmentUpdateFields("6.8.8"));
  assert.ok(supportsEnrichmentUpdateFields("6.8.9"));
  assert.ok(supportsEnrichmentUpdateFields("6.8.10"));
  assert.ok(supportsEnrichmentUpdateFields("6.9.0"));
  assert.ok(!supportsEnrichmentUpdateFields("unknown"));
});
