/**
 * What both vendor modules pass the shared HTTP client beyond their own
 * endpoints and headers: the redactor, the answer cap, the cache and the
 * rate-limit store, from the vendor section's settings.
 *
 * @module
 */

import type { VendorHttpOptions } from "../http/mod.ts";
import { SecretRedactor } from "../log/mod.ts";
import type { VendorDeps } from "./vendor_module.ts";

/** One mebibyte: `max_response_mb` counts these. */
const MIB = 1024 * 1024;

/** The settings every vendor section has. */
export interface CommonVendorSettings {
  api_key: string;
  timeout: number;
  max_retries: number;
  rate_limit: number;
  max_response_mb: number;
  cache_ttl: number;
}

/**
 * The client options shared by the vendors. Without `deps.redactor` (a
 * test), a redactor holding the API key stands in; the composition root
 * registers every key on the program's one redactor.
 */
export function commonClientOptions(
  settings: CommonVendorSettings,
  deps: VendorDeps,
  maxResponseSetting: string,
): Omit<VendorHttpOptions, "vendor" | "baseUrl" | "logger"> {
  return {
    redactor: deps.redactor ?? keyRedactor(settings.api_key),
    timeoutMs: settings.timeout * 1000,
    retry: { maxRetries: settings.max_retries },
    ...(settings.rate_limit > 0
      ? { rateLimit: { requests: settings.rate_limit, perMs: 60_000 } }
      : {}),
    maxResponseBytes: settings.max_response_mb * MIB,
    maxResponseSetting,
    cacheTtlMs: settings.cache_ttl * 1000,
    ...(deps.store ? { store: deps.store } : {}),
    ...(deps.httpObserver ? { observer: deps.httpObserver } : {}),
  };
}

function keyRedactor(key: string): SecretRedactor {
  const redactor = new SecretRedactor();
  redactor.add(key);
  return redactor;
}
