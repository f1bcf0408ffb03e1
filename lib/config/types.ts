/**
 * The shape of a loaded configuration, and what a vendor module must tell the
 * loader about itself. A loaded {@link AppConfig} is final: every value is
 * parsed, normalised and checked, and the files it names are read, so nothing
 * after the loader validates configuration again.
 *
 * @module
 */

import type { LogLevel } from "../log/mod.ts";
import type { TlpLevel } from "../stix/mod.ts";
import type { ConfigSection, SectionValues, Setting } from "./settings.ts";

/** What the config loader needs from a vendor module; `S` types its section's settings. */
export interface VendorConfigDescriptor<
  S extends Record<string, Setting> = Record<string, Setting>,
> {
  /** Registry name, e.g. `silentpush`, used in `connector.vendor`. */
  readonly name: string;
  /** Other accepted spellings of the name. */
  readonly aliases: readonly string[];
  /** Human name, e.g. "Silent Push". */
  readonly title: string;
  /** The vendor's YAML section and settings (env prefix = section name upper-cased). */
  readonly section: ConfigSection<S>;
  /** The key of the section holding the API key (used to infer the vendor). */
  readonly apiKeySetting: string;
  /** The key of the section holding the max TLP; default `max_tlp`. */
  readonly maxTlpSetting?: string;
  /** OpenCTI entity types the vendor can enrich; a scope may list only these. */
  readonly supportedTypes: readonly string[];
  /** Connector defaults when this vendor runs: name, scope, auto. */
  readonly defaults: {
    readonly name: string;
    readonly scope: readonly string[];
    readonly auto: boolean;
  };
  /** Slug of the connector in the OpenCTI catalog, e.g. `silentpush-enrichment`. */
  readonly slug: string;
}

/** One connector instance: its registration on the platform and the vendor it runs. */
export interface ConnectorInstanceConfig {
  /** `connector.id`, required and non-empty. */
  id: string;
  /** `connector.name`. */
  name: string;
  /** Always INTERNAL_ENRICHMENT. */
  type: "INTERNAL_ENRICHMENT";
  /** Entity types, each one the vendor enriches, in the vendor's (the platform's) spelling. */
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
  /** The highest TLP of an entity this instance may send to its vendor. */
  maxTlp: TlpLevel;
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

/**
 * `mq.*` overrides; each is applied over the registration's coordinates when
 * set. The TLS material (`use_ssl_ca`, `use_ssl_cert`, `use_ssl_key`) is PEM
 * text: a path given in the configuration has been read by the loader.
 */
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

/**
 * How the platform's TLS certificate is checked. Deno always verifies it:
 * `verify: false` (pycti's default) cannot turn that off for one client, so
 * a private CA must be given as `caCerts`.
 */
export interface OpenCtiTls {
  /** `OPENCTI_SSL_VERIFY` was true or a CA bundle path. */
  verify: boolean;
  /** PEM text of the CA bundle named by `OPENCTI_SSL_VERIFY`, added to the trusted roots. */
  caCerts?: string[];
}

/** The platform's settings, resolved. */
export interface OpenCtiConfig {
  /** The platform's base URL, without trailing slashes or `/graphql`; the endpoint is url + `/graphql`. */
  url: string;
  token: string;
  /** `OPENCTI_CUSTOM_HEADERS`, parsed. */
  customHeaders: Record<string, string>;
  tls: OpenCtiTls;
  jsonLogging: boolean;
  /** Per request. */
  timeoutMs: number;
  /** Retries of a transient failure. */
  maxRetries: number;
}

/** A validated configuration. */
export interface AppConfig {
  /** The platform. */
  opencti: OpenCtiConfig;
  /** Process-wide settings. */
  runtime: RuntimeConfig;
  /** Broker overrides. */
  mq: MqOverrides;
  /** The connector instances this process runs (at least one). */
  instances: ConnectorInstanceConfig[];
  /** Validated settings of each vendor section in use, keyed by vendor name. */
  vendorSettings: Record<string, Record<string, unknown>>;
  /** Every secret value found (token, keys, passwords, PEM keys), for the log redactor. */
  secrets: string[];
  /** Non-fatal remarks (deprecated names, unknown keys). */
  warnings: string[];
  /** The YAML file read, if any; without one the configuration came from the environment only. */
  sourcePath?: string;
}

/** The values of `vendor`'s section, typed by its settings (the loader validated them against those very settings). */
export type VendorSettingsOf<V> = V extends VendorConfigDescriptor<infer S> ? SectionValues<S>
  : never;
