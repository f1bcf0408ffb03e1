/**
 * The ET Intelligence enricher (proofpoint-et.md §3, decisions 3-7): the
 * calls of each observable type run concurrently; their answers map to
 * labels, score, related observables with their relationships, a Country and
 * an AS; every created object carries the author and the TLP:AMBER+STRICT
 * marking, the re-emitted entity only the author.
 *
 * @module
 */

import { errorMessage, MessageError, VendorError } from "../../errors/mod.ts";
import { createVendorHttpClient } from "../../http/mod.ts";
import { parseIsoDuration } from "../../config/mod.ts";
import {
  autonomousSystem,
  countryLocation,
  domainName,
  file,
  ipv4Addr,
  relationship,
  StixError,
  type StixObject,
  tlpMarking,
  valueObservable,
  withAuthor,
} from "../../stix/mod.ts";
import type { Logger } from "../../log/mod.ts";
import type {
  Enricher,
  EnrichmentContext,
  EnrichmentResult,
  VendorDeps,
} from "../vendor_module.ts";
import { type CallResult, EtIntelligenceApi, VENDOR } from "./api.ts";
import { etAuthor } from "./author.ts";
import type { ProofpointEtSettings } from "./config.ts";
import { countryName } from "./countries.ts";
import {
  asnSchema,
  domainItemSchema,
  geolocSchema,
  ipItemSchema,
  type Reputation,
  reputationSchema,
  sampleDetailsSchema,
  sampleItemSchema,
} from "./schemas.ts";
import { windowStart, withinWindow } from "./window.ts";

/** Colour of the reputation-category labels. */
export const CATEGORY_LABEL_COLOR = "#d84315";

/** The reference's messages (§3.6). */
export const MESSAGES = {
  collected: (count: number) =>
    `The enrichment process has been completed and the number of entities that have been collected by ProofPoint ET Intelligence is as follows: ${count}`,
  nothingNew:
    "[CONNECTOR] Enrichment process has been completed, but no new information was collected by ProofPoint ET Intelligence. Therefore, no enrichment was performed.",
  fileDone: "[CONNECTOR] Enrichment process has been completed",
} as const;

const AMBER_STRICT = tlpMarking("TLP:AMBER+STRICT");

/** Builds the enricher from validated settings. */
export function createEtEnricher(settings: ProofpointEtSettings, deps: VendorDeps): Enricher {
  const http = createVendorHttpClient({
    vendor: VENDOR,
    baseUrl: settings.api_base_url,
    headers: { authorization: settings.api_key, "user-agent": deps.userAgent },
    secrets: [settings.api_key],
    timeoutMs: settings.timeout * 1000,
    retry: { maxRetries: settings.max_retries },
    ...(settings.rate_limit > 0
      ? { rateLimit: { requests: settings.rate_limit, perMs: 60_000 } }
      : {}),
    logger: deps.logger,
    ...(deps.httpObserver ? { observer: deps.httpObserver } : {}),
  });
  const api = new EtIntelligenceApi(http, deps.logger);
  const author = etAuthor(deps.connectorName);
  const windowMs = parseIsoDuration(settings.import_last_seen_time_window) ?? 30 * 86_400_000;
  return {
    async probe(signal) {
      await api.list(["repcategories"], reputationSchema.partial(), signal ? { signal } : {});
    },
    enrich(entity, context) {
      const mapping = new Mapping({
        api,
        author,
        context,
        windowStart: windowStart(context.now, windowMs),
        importScore: settings.import_reputation_score,
      });
      switch (entity.entityType.toLowerCase()) {
        case "ipv4-addr":
        case "ipv6-addr":
          return mapping.ip(entity.stix);
        case "domain-name":
          return mapping.domain(entity.stix);
        case "stixfile":
        case "file":
          return mapping.file(entity.stix);
        default:
          throw new MessageError(`ET Intelligence cannot enrich ${entity.entityType}`);
      }
    },
  };
}

interface MappingOptions {
  api: EtIntelligenceApi;
  author: StixObject;
  context: EnrichmentContext;
  windowStart: string;
  importScore: boolean;
}

/** The objects of one enrichment, in the reference's order, first of each id kept. */
class Mapping {
  readonly #options: MappingOptions;
  readonly #objects = new Map<string, StixObject>();
  readonly #logger: Logger;

  constructor(options: MappingOptions) {
    this.#options = options;
    this.#logger = options.context.logger;
  }

  async ip(stix: StixObject): Promise<EnrichmentResult> {
    const value = valueOf(stix);
    const type = stix.type === "ipv6-addr" ? "ipv6-addr" : "ipv4-addr";
    const lenient4xx = type === "ipv6-addr";
    const call = { signal: this.#options.context.signal, lenient4xx };
    const { api } = this.#options;
    const results = await settleAll({
      reputation: api.list(["ips", value, "reputation"], reputationSchema, call),
      domains: api.list(["ips", value, "domains"], domainItemSchema, call),
      samples: api.list(["ips", value, "samples"], sampleItemSchema, call),
      geoloc: api.list(["ips", value, "geoloc"], geolocSchema, call),
      asn: api.object(["ips", value, "asn"], asnSchema, call),
    });
    const main = await this.#main(type, value, results.reputation);
    for (const item of found(results.domains) ?? []) {
      if (!withinWindow(item.last_seen, this.#options.windowStart)) continue;
      const domain = this.#add("domain", () => domainName(item.domain), true);
      this.#relate("resolves-to", domain, main, item.first_seen);
    }
    this.#samples(found(results.samples), main);
    for (const item of found(results.geoloc) ?? []) {
      const name = item.country?.trim() ||
        (item.country_code ? countryName(item.country_code) : undefined);
      if (!name) {
        this.#logger.info("No country name for a geolocation; the Location is skipped", {
          country_code: item.country_code ?? null,
        });
        continue;
      }
      const location = this.#add("location", () =>
        countryLocation({
          name,
          country: item.country_code?.toUpperCase() ?? undefined,
          region: item.region ?? undefined,
          city: item.city ?? undefined,
          latitude: item.latitude ?? undefined,
          longitude: item.longitude ?? undefined,
        }), true);
      this.#relate("located-at", main, location);
    }
    const asn = found(results.asn);
    if (asn) {
      const system = this.#add(
        "autonomous system",
        () => autonomousSystem(asn.asn, { name: asn.owner }),
        true,
      );
      this.#relate("belongs-to", main, system);
    }
    return this.#result(results, "observable");
  }

  async domain(stix: StixObject): Promise<EnrichmentResult> {
    const value = valueOf(stix).toLowerCase();
    const call = { signal: this.#options.context.signal };
    const { api } = this.#options;
    const results = await settleAll({
      reputation: api.list(["domains", value, "reputation"], reputationSchema, call),
      ips: api.list(["domains", value, "ips"], ipItemSchema, call),
      samples: api.list(["domains", value, "samples"], sampleItemSchema, call),
    });
    const main = await this.#main("domain-name", value, results.reputation);
    for (const item of found(results.ips) ?? []) {
      if (!withinWindow(item.last_seen, this.#options.windowStart)) continue;
      const ip = this.#add("IP address", () => ipv4Addr(item.ip), true);
      this.#relate("resolves-to", main, ip, item.first_seen);
    }
    this.#samples(found(results.samples), main);
    return this.#result(results, "observable");
  }

  async file(stix: StixObject): Promise<EnrichmentResult> {
    const hashes = (stix.hashes ?? {}) as Record<string, unknown>;
    const md5 = typeof hashes.MD5 === "string" ? hashes.MD5.toLowerCase() : undefined;
    if (!md5 || !/^[0-9a-f]{32}$/.test(md5)) {
      throw new MessageError("ET Intelligence looks files up by MD5, and this file has none");
    }
    const results = await settleAll({
      details: this.#options.api.object(["samples", md5], sampleDetailsSchema, {
        signal: this.#options.context.signal,
      }),
    });
    const details = found(results.details);
    if (details) {
      this.#add("file", () =>
        file({
          hashes: { MD5: md5, ...(details.sha256 ? { "SHA-256": details.sha256 } : {}) },
          ...(details.file_size ? { size: details.file_size } : {}),
        }), false);
    }
    return this.#result(results, "file");
  }

  /** The re-emitted entity: labels from categories, score from the highest category score. */
  async #main(
    type: "ipv4-addr" | "ipv6-addr" | "domain-name",
    value: string,
    reputation: Settled<CallResult<Reputation[]>>,
  ): Promise<StixObject | undefined> {
    const entries = found(reputation) ?? [];
    const categories = [...new Set(entries.map((entry) => entry.category))];
    const labels = (await Promise.all(
      categories.map((category) =>
        this.#options.context.labels.ensure(category, CATEGORY_LABEL_COLOR)
      ),
    )).filter((label) => label !== undefined);
    const score = this.#options.importScore && entries.length > 0
      ? Math.min(100, Math.max(...entries.map((entry) => entry.score)))
      : undefined;
    return this.#add("entity", () => valueObservable(type, value, { labels, score }), false);
  }

  #samples(
    samples: Array<{ source: string; first_seen: string; last_seen: string }> | undefined,
    target: StixObject | undefined,
  ) {
    for (const item of samples ?? []) {
      if (!withinWindow(item.last_seen, this.#options.windowStart)) continue;
      const sample = this.#add("sample", () => file({ hashes: { MD5: item.source } }), true);
      this.#relate("communicates-with", sample, target, item.first_seen);
    }
  }

  #add(what: string, build: () => StixObject, marked: boolean): StixObject | undefined {
    let object: StixObject;
    try {
      object = withAuthor(build(), this.#options.author.id);
    } catch (error) {
      if (!(error instanceof StixError)) throw error;
      this.#logger.warning(`Skipped a malformed ET Intelligence ${what}`, {
        reason: error.message,
      });
      return undefined;
    }
    if (marked) object = { ...object, object_marking_refs: [AMBER_STRICT.id] };
    if (!this.#objects.has(object.id)) this.#objects.set(object.id, object);
    return this.#objects.get(object.id);
  }

  #relate(
    type: string,
    source: StixObject | undefined,
    target: StixObject | undefined,
    firstSeen?: string,
  ) {
    if (!source || !target || source.id === target.id) return;
    this.#add("relationship", () =>
      relationship({
        relationshipType: type,
        sourceRef: source.id,
        targetRef: target.id,
        ...(firstSeen ? { startTime: `${firstSeen.slice(0, 10)}T00:00:00.000Z` } : {}),
      }), true);
  }

  #result(
    results: Record<string, Settled<CallResult<unknown>>>,
    kind: "observable" | "file",
  ): EnrichmentResult {
    const settled = Object.values(results);
    const failures = settled.filter((item): item is { error: unknown } => "error" in item);
    const auth = failures.find((item) =>
      item.error instanceof VendorError && item.error.kind === "auth"
    );
    if (auth) throw auth.error;
    if (failures.length === settled.length) {
      const first = failures[0]!.error;
      const reasons = failures.map((item) => errorMessage(item.error)).join("; ");
      throw new VendorError(
        `All ${settled.length} ET Intelligence calls failed: ${reasons}`,
        {
          vendor: VENDOR,
          kind: first instanceof VendorError ? first.kind : "network",
          ...(first instanceof VendorError && first.status ? { status: first.status } : {}),
          cause: first,
        },
      );
    }
    for (const failure of failures) {
      this.#logger.error("[ERROR] Unsuccessful call from ProofPoint ET Intelligence", {
        reason: errorMessage(failure.error),
      });
    }
    const objects = [...this.#objects.values()];
    const informative = objects.some((object) =>
      object.object_marking_refs !== undefined || object.x_opencti_labels !== undefined ||
      object.x_opencti_score !== undefined || object.hashes !== undefined && kind === "file"
    );
    if (!informative) {
      return {
        objects: [],
        outcome: "no_data",
        message: kind === "file" ? MESSAGES.fileDone : MESSAGES.nothingNew,
      };
    }
    const all = [
      this.#options.author,
      ...(objects.some((o) => o.object_marking_refs) ? [AMBER_STRICT] : []),
      ...objects,
    ];
    return {
      objects: all,
      outcome: "enriched",
      message: kind === "file" ? MESSAGES.fileDone : ({ pushed }) => MESSAGES.collected(pushed),
    };
  }
}

type Settled<T> = { value: T } | { error: unknown };

async function settleAll<T extends Record<string, Promise<unknown>>>(
  calls: T,
): Promise<{ [K in keyof T]: Settled<Awaited<T[K]>> }> {
  const entries = await Promise.all(
    Object.entries(calls).map(async ([key, promise]) => {
      try {
        return [key, { value: await promise }] as const;
      } catch (error) {
        return [key, { error }] as const;
      }
    }),
  );
  return Object.fromEntries(entries) as { [K in keyof T]: Settled<Awaited<T[K]>> };
}

function found<T>(settled: Settled<CallResult<T>>): T | undefined {
  return "value" in settled && settled.value.kind === "found" ? settled.value.value : undefined;
}

function valueOf(stix: StixObject): string {
  if (typeof stix.value !== "string" || stix.value.trim() === "") {
    throw new MessageError(`The ${stix.type} to enrich has no value`);
  }
  return stix.value.trim();
}
