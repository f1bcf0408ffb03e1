/**
 * The one line `run` writes once it is consuming: where the configuration
 * came from, what each connector enriches from which queue, the platform's
 * version, and that each vendor key cost one request at start-up.
 *
 * @module
 */

import { type AppConfig, describeConfigSource } from "../config/mod.ts";
import { PRODUCT, VERSION } from "../meta/mod.ts";
import type { VendorProbe } from "./vendor_probe.ts";

/** The start line's text and structured attributes. */
export interface StartLine {
  message: string;
  attributes: Record<string, unknown>;
}

/** What start-up found out. */
export interface StartFacts {
  platformVersion: string;
  /** The listen queue of each instance, in configuration order. */
  queues: readonly string[];
  /** The vendor key checks made. */
  probes: readonly VendorProbe[];
}

/** Composes the start line. */
export function startLine(config: AppConfig, facts: StartFacts): StartLine {
  const connectors = config.instances.map((instance, index) => ({
    name: instance.name,
    vendor: instance.vendor,
    scope: instance.scope,
    max_tlp: instance.maxTlp,
    queue: facts.queues[index] ?? "",
  }));
  const source = describeConfigSource(config);
  const what = connectors.map((item) =>
    `"${item.name}" (${item.vendor}) enriches ${item.scope.join(", ")} from ${item.queue}`
  ).join("; ");
  const accepted = facts.probes.filter((probe) => probe.error === undefined);
  const keys = accepted.length === 0
    ? "no vendor key could be checked"
    : `vendor key${accepted.length === 1 ? "" : "s"} checked with one request each (${
      accepted.map((probe) => probe.vendor.name).join(", ")
    })`;
  return {
    message:
      `${PRODUCT} ${VERSION} started against OpenCTI ${facts.platformVersion} at ${config.opencti.url}; configuration: ${source}; ${what}; ${keys}`,
    attributes: {
      version: VERSION,
      platform_version: facts.platformVersion,
      platform_url: config.opencti.url,
      config_source: config.sourcePath ?? null,
      connectors,
      vendor_key_checks: accepted.map((probe) => probe.vendor.name),
    },
  };
}
