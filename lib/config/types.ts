/**
 * The shape of a loaded configuration, and what a vendor module must tell the
 * loader about itself.
 *
 * @module
 */

import type { LogLevel } from "../log/mod.ts";
import type { ConfigSection, VendorDefaultKey } from "./settings.ts";

/** What the config loader needs from a vendor module. */
export interface VendorConfigDescriptor {
  /** Registry name, e.g. `silentpush`, used in `connector.vendor`. */
  readonly name: string;
  /** Other accepted spellings of the name. */
  readonly aliases: readonly string[];
  /** Human name, e.g. "Silent Push". */
  readonly title: string;
  /** The vendor's YAML section and settings (env prefix = section name upper-cased). */
  readonly section: ConfigSection;
  /** The key of the section holding the API key (used to infer the vendor). */
  readonly apiKeySetting: string;
  /** Connector defaults when this vendor runs: id, name, scope, auto. */
  readonly defaults: {
    readonly [K in VendorDefaultKey]: K extends "scope" ? readonly string[]
      : K extends "auto" ? boolean
      : string;
  };
  /** Slug of the connector in the OpenCTI catalog, e.g. `silentpush-enrichment`. */
  readonly slug: string;
}

/** One connector instance: its registration on the platform and the vendor it runs. */
export interface ConnectorInstanceConfig {
  /** `connector.id`. */
  id: string;
  /** `connector.name`. */
  name: string;
  /** Always INTERNAL_ENRICHMENT. */
  type: "INTERNAL_ENRICHMENT";
  /** Entity types, trimmed. */
  scope: string[];
  /** Enrich on creation. */
  auto: boolean;
  /** Enrich on update (6.8.9+). */
  autoUpdate: boolean;
  /** `none` or `stix_bundle` (6.8.9+). */
  enrichmentResolution: string;
  /** Registered as pycti does. */
  onlyContextual: boolean;
  /** Offered as a playbook step. */
  playbookCompatible: boolean;
  /** Registry name of the vendor module. */
  vendor: string;
}

/** Process-wide runtime settings from `connector.*`. */
export interface RuntimeConfig {
  /** Lowest level logged. */
  logLevel: LogLevel;
  /** Messages processed at once (AMQP prefetch). */
  concurrency: number;
  /** Grace period for in-flight messages on shutdown. */
  shutdownTimeoutMs: number;
  /** What a TLP refusal does to the work. */
  tlpRefusal: "error" | "message";
  /** False = dry run: nothing published, no work updates. */
  sendToQueue: boolean;
  /** Reported in pings. */
  queueThreshold: number;
  /** The metrics and health listener. */
  metrics: { enabled: boolean; host: string; port: number; namespace: string; subsystem: string };
  /** Requeues of a message the platform or broker cannot serve, before its work ends in error. */
  maxRequeues: number;
  /** How long platform calls after a vendor answer are retried in place. */
  deliveryTimeoutMs: number;
  /** Caps on what one enrichment reads and sends. */
  limits: EnrichmentLimits;
  /** The vendor answer cache (and shared rate-limit store when `url` is set). */
  cache: { url?: string; maxEntries: number; maxBytes: number };
}

/** Caps on what one enrichment reads from a vendor and sends to the platform. */
export interface EnrichmentLimits {
  /** Most STIX objects sent per enrichment. */
  maxObjects: number;
  /** Most items taken from one list of a vendor answer. */
  maxRelated: number;
  /** Most labels added to an entity. */
  maxLabels: number;
  /** Longest label, in characters. */
  maxLabelLength: number;
  /** Longest observable value, in characters. */
  maxValueLength: number;
  /** Most incoming `stix_objects` re-published. */
  maxIncomingObjects: number;
}

/** `mq.*` overrides; each is applied over the registration's coordinates when set. */
export interface MqOverrides {
  host?: string;
  port?: number;
  vhost?: string;
  use_ssl?: boolean;
  user?: string;
  pass?: string;
  use_ssl_ca?: string;
  use_ssl_cert?: string;
  use_ssl_key?: string;
  use_ssl_passphrase?: string;
  use_ssl_reject_unauthorized?: boolean;
}

/** A validated configuration. */
export interface AppConfig {
  /** The platform. */
  opencti: {
    url: string;
    token: string;
    customHeaders?: string;
    sslVerify: boolean | string;
    jsonLogging: boolean;
    /** Per request. */
    timeoutMs: number;
    /** Retries of a transient failure. */
    maxRetries: number;
  };
  /** Process-wide settings. */
  runtime: RuntimeConfig;
  /** Broker overrides. */
  mq: MqOverrides;
  /** The connector instances this process runs (at least one). */
  instances: ConnectorInstanceConfig[];
  /** Validated settings of each vendor section in use, keyed by vendor name. */
  vendorSettings: Record<string, Record<string, unknown>>;
  /** Every secret value found, for the log redactor. */
  secrets: string[];
  /** Non-fatal remarks (deprecated names, unknown keys). */
  warnings: string[];
  /** The YAML file read, if any. */
  sourcePath?: string;
}
