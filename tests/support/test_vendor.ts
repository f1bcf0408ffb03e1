/**
 * A trivial vendor module for runtime tests, so the runtime is tested without
 * the real vendors. Its behaviour is steered through a {@link TestVendorControl}
 * shared with the test: latency, failures, and a record of every call.
 *
 * @module
 */

import { defineSection, enumSetting, stringSetting, TLP_LEVELS } from "../../lib/config/mod.ts";
import { VendorError, type VendorErrorKind } from "../../lib/errors/mod.ts";
import {
  domainName,
  organizationIdentity,
  relationship,
  type StixObject,
  valueObservable,
} from "../../lib/stix/mod.ts";
import type { EnrichmentEntity, VendorModule } from "../../lib/vendors/mod.ts";

/** What the test can make the vendor do, and what it saw. */
export interface TestVendorControl {
  /** Delay of every enrichment. */
  latencyMs: number;
  /** Fail every call with this VendorError kind, or with a plain Error when "exception". */
  fail: VendorErrorKind | "exception" | undefined;
  /** Fail only the first N calls (then succeed); undefined = every call. */
  failTimes: number | undefined;
  /** Values enriched, in call order. */
  calls: string[];
  /** Enrichments running right now, and the most at once. */
  active: number;
  maxActive: number;
}

/** A fresh control with no latency and no failures. */
export function testVendorControl(): TestVendorControl {
  return {
    latencyMs: 0,
    fail: undefined,
    failTimes: undefined,
    calls: [],
    active: 0,
    maxActive: 0,
  };
}

/** The author identity of the test vendor. */
export const TEST_AUTHOR = organizationIdentity({ name: "Test Vendor" });

/** The test vendor's label and colour. */
export const TEST_LABEL = { value: "test-enriched", color: "#123456" };

/** Builds the test vendor module bound to `control`. */
export function createTestVendor(control: TestVendorControl): VendorModule {
  return {
    name: "testvendor",
    aliases: [],
    title: "Test Vendor",
    slug: "test-vendor",
    apiKeySetting: "api_key",
    section: defineSection("testvendor", "The test vendor.", {
      api_key: stringSetting({ description: "Key.", secret: true, required: true }),
      max_tlp: enumSetting(TLP_LEVELS, { description: "Max TLP." }, "TLP:AMBER"),
    }),
    defaults: {
      name: "Test Vendor",
      scope: ["IPv4-Addr", "Domain-Name"],
      auto: false,
    },
    supportedTypes: ["IPv4-Addr", "Domain-Name", "Url"],
    manifest: {
      title: "Test Vendor",
      slug: "test-vendor",
      description: "For tests.",
      short_description: "For tests.",
      use_cases: [],
      solution_categories: [],
      license_type: "Test",
      verified: false,
      playbook_supported: true,
      max_confidence_level: 50,
      support_version: ">=6.8.0",
      manager_supported: false,
      container_type: "INTERNAL_ENRICHMENT",
    },
    create: () => ({
      probe: () => Promise.resolve(),
      async enrich(entity: EnrichmentEntity, context) {
        const value = String(entity.stix.value ?? entity.standardId);
        control.calls.push(value);
        control.active += 1;
        control.maxActive = Math.max(control.maxActive, control.active);
        try {
          if (control.latencyMs > 0) await abortableDelay(control.latencyMs, context.signal);
          const failing = control.fail !== undefined &&
            (control.failTimes === undefined || control.failTimes-- > 0);
          if (failing && control.fail === "exception") {
            throw new TypeError("Test vendor mapping bug");
          }
          if (failing) {
            throw new VendorError(`Test vendor failed (${control.fail})`, {
              vendor: "testvendor",
              kind: control.fail as VendorErrorKind,
              status: control.fail === "auth" ? 401 : 503,
            });
          }
          if (value.startsWith("nodata")) {
            return { objects: [], message: `No data for ${value}`, outcome: "no_data" };
          }
          const label = await context.labels.ensure(TEST_LABEL.value, TEST_LABEL.color);
          const updated: StixObject = valueObservable(entity.stix.type as "ipv4-addr", value, {
            score: 42,
            labels: label ? [label] : [],
            createdByRef: TEST_AUTHOR.id,
          });
          const domain = domainName(`enriched-${value.replaceAll(":", "-")}.example`, {
            createdByRef: TEST_AUTHOR.id,
          });
          const link = relationship({
            relationshipType: "resolves-to",
            sourceRef: domain.id,
            targetRef: updated.id,
          }, { createdByRef: TEST_AUTHOR.id });
          return {
            objects: [TEST_AUTHOR, updated, domain, link],
            message: ({ pushed }) => `Test vendor enriched ${value}: ${pushed} bundles`,
            outcome: "enriched",
          };
        } finally {
          control.active -= 1;
        }
      },
    }),
  };
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal.reason ?? new Error("aborted"));
    }
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
