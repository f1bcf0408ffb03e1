import assert from "node:assert/strict";
import { OpenCtiError } from "../errors/mod.ts";
import {
  compareVersions,
  MIN_SUPPORTED_VERSION,
  parseVersion,
  refuseVersion,
  SUPPORTED_PLATFORMS,
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

Deno.test("calendar versions 7.YYMMDD.N and their LTS forms parse and sort after every 6.x", () => {
  assert.deepEqual(parseVersion("7.260807.0"), { major: 7, minor: 260807, patch: 0 });
  assert.deepEqual(parseVersion("7.260309.0-lts.2"), { major: 7, minor: 260309, patch: 0 });
  assert.deepEqual(parseVersion("7.260309.0-lts1"), { major: 7, minor: 260309, patch: 0 });
  for (const version of ["7.260807.0", "7.260309.0-lts.2", "7.260309.0-lts1", "7.260224.0"]) {
    assert.ok(compareVersions(version, "6.9.29") > 0, version);
    assert.ok(compareVersions(version, "6.8.10") > 0, version);
  }
  assert.ok(compareVersions("7.260807.0", "7.260309.0-lts.2") > 0);
  assert.ok(compareVersions("7.260807.1", "7.260807.0") > 0);
  // The LTS suffix is ignored, as the platform's semver.coerce ignores it.
  assert.equal(compareVersions("7.260309.0-lts.2", "7.260309.0"), 0);
});

Deno.test("refuseVersion() serves 6.9.x, calendar 7.x and LTS builds without any reservation", () => {
  for (
    const version of ["6.9.29", "7.260224.0", "7.260807.0", "7.260309.0-lts.2", "7.260309.0-lts1"]
  ) {
    assert.equal(refuseVersion(version), undefined, version);
  }
});

Deno.test("the supported-platforms statement names the floor and both tested versions", () => {
  assert.equal(
    SUPPORTED_PLATFORMS,
    "OpenCTI 6.8.0 and later (tested with 6.8.10 and 7.260807.0)",
  );
  assert.ok(refuseVersion("6.7.20")?.includes(SUPPORTED_PLATFORMS));
});

Deno.test("supportsEnrichmentUpdateFields() starts at 6.8.9", () => {
  assert.ok(!supportsEnrichmentUpdateFields("6.8.0"));
  assert.ok(!supportsEnrichmentUpdateFields("6.8.8"));
  assert.ok(supportsEnrichmentUpdateFields("6.8.9"));
  assert.ok(supportsEnrichmentUpdateFields("6.8.10"));
  assert.ok(supportsEnrichmentUpdateFields("6.9.0"));
  assert.ok(supportsEnrichmentUpdateFields("7.260807.0"));
  assert.ok(supportsEnrichmentUpdateFields("7.260309.0-lts1"));
  assert.ok(!supportsEnrichmentUpdateFields("unknown"));
});
