/**
 * The OpenCTI client's options from a loaded configuration: URL, token,
 * headers, TLS, timeout and retries as the loader resolved them.
 *
 * @module
 */

import type { AppConfig } from "../config/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import type { OpenCtiClientOptions, RetryPolicy } from "../opencti/mod.ts";

/** The client options for `config`. */
export function openCtiClientOptions(
  config: AppConfig,
  parts: {
    logger: Logger;
    redactor: Redactor;
    userAgent: string;
    signal?: AbortSignal;
    retry?: Partial<RetryPolicy>;
  },
): OpenCtiClientOptions {
  const { opencti } = config;
  return {
    url: opencti.url,
    token: opencti.token,
    userAgent: parts.userAgent,
    logger: parts.logger,
    redactor: parts.redactor,
    timeoutMs: opencti.timeoutMs,
    retry: { maxRetries: opencti.maxRetries, ...parts.retry },
    tls: opencti.tls,
    customHeaders: opencti.customHeaders,
    ...(parts.signal ? { signal: parts.signal } : {}),
  };
}
