import assert from "node:assert/strict";
import { VERSION } from "../../lib/meta/mod.ts";
import { scoId } from "../../lib/stix/mod.ts";
import { type PushedBundle, startHarness } from "../support/harness.ts";
import { createTestVendor, testVendorControl } from "../support/test_vendor.ts";

const vendor = createTestVendor(testVendorControl());

const YAML = {
  connector: {
    vendor: "testvendor",
    name: "Test connector",
    scope: "IPv4-Addr,Domain-Name",
    auto_update: true,
  },
  testvendor: { api_key: "test-vendor-key-1234" },
};

interface Run {
  pushed: PushedBundle[];
  registration: Record<string, unknown>;
  operations: (string | null)[];
  rejected: number;
  logs: string[];
}

/** One enrichment of 8.8.8.8 against a fake playing `version`. */
async function enrichAgainst(version: string): Promise<Run> {
  const control = testVendorControl();
  await using h = await startHarness({
    vendors: [createTestVendor(control)],
    yaml: YAML,
    platformVersion: version,
  });
  const entity = h.seed("IPv4-Addr", "8.8.8.8", {
    standardId: scoId("ipv4-addr", { value: "8.8.8.8" }),
    tlp: "TLP:GREEN",
  });
  await h.publishAndWaitForWork(entity);
  const pushed = await h.readPush(4);
  return {
    pushed,
    registration: h.octi.registrationInputs[0] ?? {},
    operations: h.octi.calls.map((call) => call.operationName),
    rejected: h.octi.rejected.length,
    logs: h.logs.lines,
  };
}

/** What a pushed message carries, without the per-run ids (work, bundle, applicant). */
function comparable(run: Run): unknown[] {
  return run.pushed.map(({ message, bundle }) => ({
    action_sequence: message.action_sequence,
    bundle_type: message.bundle_type,
    update: message.update,
    objects: bundle.objects,
  }));
}

Deno.test("the enrichment flow is the same on OpenCTI 6.8.10 and 7.260807.0", async (t) => {
  const old = await enrichAgainst("6.8.10");
  const calendar = await enrichAgainst("7.260807.0");

  await t.step("every document validated on both platforms", () => {
    assert.equal(old.rejected, 0);
    assert.equal(calendar.rejected, 0);
  });

  await t.step("the pushed bundles are identical", () => {
    assert.equal(old.pushed.length, 4);
    assert.deepEqual(comparable(calendar), comparable(old));
  });

  await t.step("both platforms were introspected before registering with the 6.8.9 fields", () => {
    for (const run of [old, calendar]) {
      const register = run.operations.findIndex((name) => name?.startsWith("RegisterConnector"));
      assert.ok(run.operations.indexOf("ApiCompatibility") >= 0);
      assert.ok(run.operations.indexOf("ApiCompatibility") < register);
      assert.equal(run.registration.auto_update, true);
      assert.ok("enrichment_resolution" in run.registration);
    }
  });

  await t.step("6.8.10 is never sent version or slug", () => {
    assert.ok(!("version" in old.registration), JSON.stringify(old.registration));
    assert.ok(!("slug" in old.registration));
  });

  await t.step("7.x is sent the program's version and the vendor's own slug", () => {
    assert.equal(calendar.registration.version, VERSION);
    assert.equal(calendar.registration.slug, vendor.slug);
  });

  await t.step("no warning about an untested or newer platform", () => {
    for (const run of [old, calendar]) {
      const noisy = run.logs.filter((line) => /untested|newer than (the )?tested/i.test(line));
      assert.deepEqual(noisy, []);
      const warnings = run.logs.filter((line) => /"level":"(WARNING|ERROR)"/.test(line));
      assert.deepEqual(warnings, []);
    }
  });
});
