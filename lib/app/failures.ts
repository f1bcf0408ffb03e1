/**
 * Start-up failures, sorted into what the operator must change in the
 * configuration and what is a runtime failure. A refused OpenCTI token, a
 * certificate the platform's CA does not vouch for, an URL that answers 404
 * or a redirect, and a refused vendor key are configuration problems:
 * they become a `ConfigError` naming the setting (exit code 2), so they are
 * not retried by an orchestrator as if the platform were down. Everything
 * else keeps its own error (exit code 1); failures that do not already say
 * how to fix them get the fix appended.
 *
 * @module
 */

import {
  AppError,
  BrokerError,
  ConfigError,
  describeConnectionFailure,
  errorMessage,
  OpenCtiError,
  VendorError,
} from "../errors/mod.ts";
import type { VendorConfigDescriptor } from "../config/mod.ts";
import { envName } from "../config/mod.ts";

/** A start-up step of the runtime, as it reports them, plus the vendor key and metrics steps. */
export type StartupStepName =
  | "metrics"
  | "vendor"
  | "platform"
  | "register"
  | "broker"
  | "queue"
  | "consuming";

/** The error to report for a failed platform or broker step: a `ConfigError` when the configuration must change. */
export function startupFailure(error: unknown, step: StartupStepName): Error {
  if (error instanceof ConfigError) return error;
  if (error instanceof OpenCtiError) return platformFailure(error);
  if (error instanceof BrokerError) return brokerFailure(error, step);
  if (error instanceof AppError) return error;
  return error instanceof Error ? error : new AppError(errorMessage(error), { cause: error });
}

/**
 * The error for a vendor key probe that failed: a refused key, a bad
 * certificate and an API base URL that answers 404 are configuration.
 */
export function vendorProbeFailure(error: unknown, vendor: VendorConfigDescriptor): Error {
  if (!(error instanceof VendorError)) {
    return error instanceof Error ? error : new AppError(errorMessage(error), { cause: error });
  }
  if (error.kind === "auth") {
    return new ConfigError([{
      ...settingOf(vendor, vendor.apiKeySetting),
      message: `was refused by ${vendor.title} (${error.message}); set it to a valid, current key`,
    }], { summary: `${vendor.title} refused the API key`, cause: error });
  }
  if (error.kind === "certificate" || error.kind === "not_found") {
    return new ConfigError([{ ...settingOf(vendor, "api_base_url"), message: error.message }], {
      summary: error.kind === "certificate"
        ? `Cannot connect to ${vendor.title} over TLS`
        : `${vendor.title}'s API is not at its base URL`,
      cause: error,
    });
  }
  return error;
}

/**
 * True when a failed probe stops start-up: configuration problems and
 * unexpected errors. A vendor that is down or rate-limited does not: its
 * enrichments fail and are retried, and the platform keeps its messages.
 */
export function isVendorProbeFatal(error: Error): boolean {
  return !(error instanceof VendorError);
}

function settingOf(vendor: VendorConfigDescriptor, key: string): { path: string; env?: string } {
  const setting = vendor.section.settings[key];
  const path = `${vendor.section.name}.${key}`;
  return setting ? { path, env: envName(vendor.section.name, key, setting) } : { path };
}

function platformFailure(error: OpenCtiError): Error {
  if (error.kind === "auth") {
    return new ConfigError([{
      path: "opencti.token",
      env: "OPENCTI_TOKEN",
      message: error.message,
    }], { summary: "OpenCTI refused the connector's token", cause: error });
  }
  if (error.kind === "tls") {
    const mismatch = describeConnectionFailure(error.cause).kind === "tls_mismatch";
    return new ConfigError([{
      path: mismatch ? "opencti.url" : "opencti.ssl_verify",
      env: mismatch ? "OPENCTI_URL" : "OPENCTI_SSL_VERIFY",
      message: error.message,
    }], { summary: "Cannot connect to OpenCTI over TLS", cause: error });
  }
  if (error.kind === "http" && error.status === 404) {
    return new ConfigError([{ path: "opencti.url", env: "OPENCTI_URL", message: error.message }], {
      summary: "OpenCTI's GraphQL endpoint is not at OPENCTI_URL",
      cause: error,
    });
  }
  if (error.kind === "redirect") {
    return new ConfigError([{ path: "opencti.url", env: "OPENCTI_URL", message: error.message }], {
      summary: "OpenCTI answers at another address than OPENCTI_URL",
      cause: error,
    });
  }
  return error;
}

const QUEUE_FIX =
  "the platform creates a connector's queues when it registers it: check that MQ_* overrides (MQ_HOST, MQ_VHOST) point at the platform's own broker and that CONNECTOR_ID is the id just registered";
const ACCESS_FIX =
  "check the MQ_USER/MQ_PASS overrides, or the broker credentials the platform hands out";

function brokerFailure(error: BrokerError, step: StartupStepName): Error {
  const text = error.message;
  if (/ACCESS_REFUSED|access refused|403/i.test(text) && !text.includes("MQ_USER")) {
    return new BrokerError(`${text}; ${ACCESS_FIX}`, { cause: error });
  }
  if ((step === "queue" || /NOT_FOUND|no queue/i.test(text)) && !text.includes("CONNECTOR_ID")) {
    return new BrokerError(`${text}; ${QUEUE_FIX}`, { cause: error });
  }
  return error;
}
