/**
 * The one interface every vendor module implements. A vendor module holds only
 * vendor knowledge: its settings, endpoints, response schemas and the mapping
 * to STIX. TLP gating, scope, retries, work tracking and bundle sending belong
 * to the runtime, written once.
 *
 * Adding a vendor = one new folder exporting a {@link VendorModule}, plus one
 * line in `mod.ts`.
 *
 * @module
 */

import type { EnrichmentLimits, VendorConfigDescriptor } from "../config/mod.ts";
import type { HttpObserver, VendorStore } from "../http/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import type { StixObject } from "../stix/mod.ts";

/** The entity to enrich, as the runtime resolved it from the message. */
export interface EnrichmentEntity {
  /** OpenCTI entity type, e.g. `IPv4-Addr`, `StixFile`, `Indicator`. */
  entityType: string;
  /** The entity's STIX standard id. */
  standardId: string;
  /** The entity in STIX 2.1 form with OpenCTI extensions, as the platform exports it. */
  stix: StixObject;
}

/**
 * Ensures OpenCTI labels exist (read by value, else created with the colour).
 * The runtime cleans each value (control characters removed, white space
 * folded, cut to the label length limit) and stops adding labels once the
 * enrichment reached its label limit.
 */
export interface LabelService {
  /** The label value to put in `x_opencti_labels`, or undefined when it is left out (limit reached, nothing left after cleaning). */
  ensure(value: string, color: string): Promise<string | undefined>;
}

/**
 * Something a vendor module left out of an enrichment: items beyond a limit,
 * or items of the answer that are not valid. The runtime logs each notice
 * once and quotes it in the work message; a module reports one notice per
 * list, never one per item.
 */
export interface EnrichmentNotice {
  /** `capped`: a limit was reached; `invalid`: items did not have the documented shape. */
  kind: "capped" | "invalid";
  /** What the items are, e.g. `ET Intelligence domains of 1.2.3.4`. */
  subject: string;
  /** Items kept. */
  kept: number;
  /** Items in the answer. */
  total: number;
  /** For `capped`: the env var of the limit, e.g. `CONNECTOR_MAX_RELATED`. */
  setting?: string;
  /** For `invalid`: the first few reasons (at most 3). */
  reasons?: string[];
}

/** Per-call context the runtime gives `enrich`. */
export interface EnrichmentContext {
  /** Aborted when the runtime gives up on the message (shutdown deadline). */
  signal: AbortSignal;
  /** Logger named after the connector instance. */
  logger: Logger;
  /** "Now" for this enrichment (time windows, observed-data times). */
  now: Date;
  /** Label creation through the platform. */
  labels: LabelService;
  /** Caps on what one enrichment takes from the vendor's answer. */
  limits: EnrichmentLimits;
  /** Reports items left out; see {@link EnrichmentNotice}. */
  report(notice: EnrichmentNotice): void;
  /** Called once per vendor answer that came from the cache (the work message says so). */
  answeredFromCache(): void;
}

/** What the runtime learns after sending, for messages that quote it. */
export interface DeliverySummary {
  /** Number of one-object bundles pushed (pycti's `send_stix2_bundle` result length). */
  pushed: number;
}

/** The outcome of one enrichment. */
export interface EnrichmentResult {
  /** New objects, and the re-emitted entity when the vendor updates it (it replaces the incoming copy). */
  objects: StixObject[];
  /** The work message; a function when it quotes the number of pushed bundles. */
  message: string | ((delivery: DeliverySummary) => string);
  /** `enriched` when the vendor had data, `no_data` otherwise (for metrics). */
  outcome: "enriched" | "no_data";
}

/** One configured vendor client, bound to a connector instance. */
export interface Enricher {
  /** Enriches one entity; throws `VendorError` (auth, exhausted retries) or another error on failure. */
  enrich(entity: EnrichmentEntity, context: EnrichmentContext): Promise<EnrichmentResult>;
  /** The cheapest request proving the API key is accepted; throws `VendorError` otherwise. */
  probe(signal?: AbortSignal): Promise<void>;
}

/** What a vendor module gets to build an {@link Enricher}. */
export interface VendorDeps {
  /** Logger for the vendor's HTTP client. */
  logger: Logger;
  /** The connector instance's name (some vendors name their author identity after it). */
  connectorName: string;
  /** `User-Agent` of vendor requests. */
  userAgent: string;
  /** Metrics hooks for vendor requests. */
  httpObserver?: HttpObserver;
  /** The program's one redactor (API keys are registered on it). */
  redactor?: Redactor;
  /** The answer cache and rate-limit store; without it, no cache and a local rate limiter. */
  store?: VendorStore;
}

/**
 * Fields of the OpenCTI catalog's `connector_manifest.json` (the keys the
 * connectors repository's `tests/tests_metadata/test_connector_manifest.py`
 * requires). The generator fills `contact`, `subscription_link`,
 * `source_code` and `container_version`; the optional fields here default to
 * null (`logo`, `last_verified_date`) and `opencti-enrich` (`container_image`).
 */
export interface VendorManifest {
  title: string;
  slug: string;
  description: string;
  short_description: string;
  /** Path of the logo inside the repository, or null. */
  logo?: string | null;
  use_cases: string[];
  solution_categories: string[];
  license_type: string;
  verified: boolean;
  /** `YYYY-MM-DD` of the catalog verification, or null. */
  last_verified_date?: string | null;
  playbook_supported: boolean;
  max_confidence_level: number;
  support_version: string;
  /**
   * Whether the XTM composer may deploy it. The composer pulls the image the
   * catalog contract names and runs it on an Enterprise Edition platform;
   * this connector is one binary or image its users build, so false.
   */
  manager_supported: boolean;
  /** The image a composer would run (required non-empty when `manager_supported`). */
  container_image?: string;
  container_type: "INTERNAL_ENRICHMENT";
}

/** A vendor module: config descriptor plus the enricher factory. */
export interface VendorModule extends VendorConfigDescriptor {
  /** OpenCTI entity types the vendor can enrich (scope entries outside this are refused). */
  readonly supportedTypes: readonly string[];
  /** Catalog manifest. */
  readonly manifest: VendorManifest;
  /** Builds the enricher from the validated section values. */
  create(settings: Record<string, unknown>, deps: VendorDeps): Enricher;
}

/**
 * The catalog manifest fields both vendors' manifests share, from `logo` on
 * (spread last, so the manifest keeps its key order).
 */
export const SHARED_MANIFEST_FIELDS: Omit<
  VendorManifest,
  "title" | "slug" | "description" | "short_description"
> = {
  logo: null,
  use_cases: ["Infrastructure & Attack Surface Visibility"],
  solution_categories: ["Enrichment & Reputation"],
  license_type: "Commercial",
  verified: false,
  last_verified_date: null,
  playbook_supported: true,
  max_confidence_level: 50,
  support_version: ">=6.8.0",
  manager_supported: false,
  container_image: "opencti-enrich",
  container_type: "INTERNAL_ENRICHMENT",
};
