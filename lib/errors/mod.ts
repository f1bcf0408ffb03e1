/**
 * Structured errors shared by every layer. Each carries the fields a caller
 * needs to decide what to do, and a `cause` when it wraps another failure.
 * Only `main.ts` maps them to exit codes.
 *
 * Messages say what failed and why, in sentence case, values quoted, and never
 * contain a secret.
 *
 * @module
 */

/** Base class of every error this program throws on purpose. */
export class AppError extends Error {
  /** Builds the error; `cause` keeps the failure this one wraps. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A wrong command line: unknown subcommand, flag or argument. */
export class UsageError extends AppError {}

/** One problem found in the configuration. */
export interface ConfigIssue {
  /** Dotted YAML path, e.g. `opencti.url` or `connectors[1].scope`. */
  path: string;
  /** The environment variable that sets this key, when there is one. */
  env?: string;
  /** What is wrong, in plain words. */
  message: string;
}

/** The configuration is invalid; `issues` lists every problem found at once. */
export class ConfigError extends AppError {
  /** Every problem found, in a stable order. */
  readonly issues: readonly ConfigIssue[];

  /** Builds the error from all issues; the message lists each on its own line. */
  constructor(issues: readonly ConfigIssue[], options?: { cause?: unknown; summary?: string }) {
    const summary = options?.summary ?? "Invalid configuration";
    const lines = issues.map((issue) => `  - ${formatConfigIssue(issue)}`);
    super([`${summary}:`, ...lines].join("\n"), options);
    this.issues = issues;
  }
}

/** Formats one config issue as `path (ENV): message`. */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.env ? `${issue.path} (${issue.env})` : issue.path;
  return `${where}: ${issue.message}`;
}

/** Why an OpenCTI call failed. */
export type OpenCtiErrorKind =
  | "network"
  | "http"
  | "redirect"
  | "graphql"
  | "auth"
  | "invalid_response"
  | "unsupported_version"
  | "licence"
  | "tls";

/** A call to the OpenCTI GraphQL API failed. */
export class OpenCtiError extends AppError {
  /** Why it failed. */
  readonly kind: OpenCtiErrorKind;
  /** HTTP status when the platform (or a proxy) answered. */
  readonly status: number | undefined;
  /** GraphQL error code (`extensions.code` / `name`), when the platform sent one. */
  readonly code: string | undefined;
  /** True when retrying the same call later may succeed. */
  readonly transient: boolean;

  /** Builds the error. */
  constructor(
    message: string,
    options: {
      kind: OpenCtiErrorKind;
      status?: number;
      code?: string;
      transient?: boolean;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.kind = options.kind;
    this.status = options.status;
    this.code = options.code;
    this.transient = options.transient ?? false;
  }
}

/** The AMQP broker refused, dropped or could not be reached. */
export class BrokerError extends AppError {
  /** True when the connection is down and the same operation may work after reconnecting. */
  readonly transient: boolean;

  /** Builds the error. */
  constructor(message: string, options: { transient?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.transient = options.transient ?? false;
  }
}

/** Why a vendor API call failed. */
export type VendorErrorKind =
  | "auth"
  | "not_found"
  | "rate_limited"
  | "server"
  | "client"
  | "network"
  | "timeout"
  | "certificate"
  | "invalid_response";

/** A vendor API call failed (after any retries). */
export class VendorError extends AppError {
  /** The vendor's registry name, e.g. `silentpush`. */
  readonly vendor: string;
  /** Why it failed. */
  readonly kind: VendorErrorKind;
  /** HTTP status, when the vendor answered. */
  readonly status: number | undefined;

  /** Builds the error. */
  constructor(
    message: string,
    options: { vendor: string; kind: VendorErrorKind; status?: number; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.vendor = options.vendor;
    this.kind = options.kind;
    this.status = options.status;
  }
}

/** An incoming queue message cannot be processed as it is (bad JSON, wrong shape, unknown entity). */
export class MessageError extends AppError {}

/** Enrichment was refused on purpose (TLP above the maximum, entity out of scope). */
export class RefusedError extends AppError {
  /** Why it was refused. */
  readonly reason: "tlp" | "scope";

  /** Builds the error. */
  constructor(message: string, options: { reason: "tlp" | "scope"; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.reason = options.reason;
  }
}

/** Returns the message of any thrown value, walking nothing else. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export {
  causeMessages,
  type ConnectionFailure,
  type ConnectionFailureKind,
  describeConnectionFailure,
} from "./cause.ts";
