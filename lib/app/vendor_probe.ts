/**
 * The vendor key check of `run` and `check`: each vendor in use is asked its
 * cheapest question once (the enricher's `probe()`), so a refused key stops
 * start-up with the key's env var instead of failing every enrichment later.
 *
 * @module
 */

import type { AppConfig } from "../config/mod.ts";
import type { HttpObserver, VendorStore } from "../http/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import type { VendorModule } from "../vendors/mod.ts";
import { vendorProbeFailure } from "./failures.ts";

/** How one vendor's key check ended. */
export interface VendorProbe {
  vendor: VendorModule;
  /** The names of the connector instances that use this vendor. */
  instances: string[];
  /** Undefined when the key was accepted; a `ConfigError` when the configuration must change. */
  error?: Error;
}

/** What {@link probeVendors} needs. */
export interface ProbeParts {
  vendor(name: string): VendorModule;
  logger: Logger;
  redactor: Redactor;
  userAgent: string;
  store?: VendorStore;
  /** Counts the probe's request with the others (`vendor_requests_total`). */
  httpObserver?: HttpObserver;
  signal?: AbortSignal;
}

/** Probes each vendor in use once, in configuration order; never throws for a vendor's answer. */
export async function probeVendors(config: AppConfig, parts: ProbeParts): Promise<VendorProbe[]> {
  const byVendor = new Map<string, string[]>();
  for (const instance of config.instances) {
    byVendor.set(instance.vendor, [...(byVendor.get(instance.vendor) ?? []), instance.name]);
  }
  const probes: VendorProbe[] = [];
  for (const [name, instances] of byVendor) {
    const vendor = parts.vendor(name);
    const connectorName = instances[0]!;
    const enricher = vendor.create(config.vendorSettings[vendor.name] ?? {}, {
      logger: parts.logger.named(connectorName).child(vendor.name),
      connectorName,
      userAgent: parts.userAgent,
      redactor: parts.redactor,
      ...(parts.store ? { store: parts.store } : {}),
      ...(parts.httpObserver ? { httpObserver: parts.httpObserver } : {}),
    });
    try {
      parts.signal?.throwIfAborted();
      await enricher.probe(parts.signal);
      probes.push({ vendor, instances });
    } catch (error) {
      if (parts.signal?.aborted) throw parts.signal.reason;
      probes.push({ vendor, instances, error: vendorProbeFailure(error, vendor) });
    }
  }
  return probes;
}
