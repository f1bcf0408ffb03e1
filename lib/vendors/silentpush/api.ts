/**
 * The Silent Push API calls the connector makes: IPv4/IPv6/domain
 * enrichment (`enrich/{ipv4|ipv6|domain}/{value}/enrich/`) and the domain's
 * IP diversity (`enrich/domain/{value}/ip-diversity/`). A 404 is "no data";
 * an `error` field in a 2xx body, or a body that is not the documented
 * shape, is a vendor error. Values are checked by the caller and go into the
 * path as one encoded segment.
 *
 * @module
 */

import type { z } from "zod";
import { VendorError } from "../../errors/mod.ts";
import type { GetJsonOptions, VendorHttpClient } from "../../http/mod.ts";
import { pathSegment, quoteValue } from "../values.ts";
import { SILENTPUSH_DESCRIPTOR } from "./descriptor.ts";
import {
  diversitySchema,
  type DomainEnrichment,
  domainEnrichmentSchema,
  ipEnrichmentSchema,
} from "./schemas.ts";

const { name: VENDOR, title: TITLE } = SILENTPUSH_DESCRIPTOR;

/** Per-call options. */
export interface CallOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
  /** Called when the answer came from the cache. */
  onCachedAnswer?: () => void;
}

/** A domain answer: the fields the mapping reads, and the raw body its flags are read from. */
export interface DomainAnswer {
  data: DomainEnrichment;
  raw: unknown;
}

/** Typed calls on top of the shared HTTP client. */
export class SilentPushApi {
  readonly #http: VendorHttpClient;

  /** Wraps a configured HTTP client (base URL and x-api-key set). */
  constructor(http: VendorHttpClient) {
    this.#http = http;
  }

  /** `enrich/{ipv4|ipv6}/{ip}/enrich/`: the first `ip2asn` item (raw), or undefined on 404 or none. */
  async enrichIp(kind: "ipv4" | "ipv6", ip: string, options: CallOptions = {}): Promise<unknown> {
    const path = `enrich/${kind}/${pathSegment(ip)}/enrich/`;
    const answer = await this.#get(path, ipEnrichmentSchema, options);
    const items = answer?.data.ip2asn;
    if (items === undefined || items === null) return undefined;
    if (!Array.isArray(items)) throw shapeError(path, "ip2asn", "expected a list");
    return items[0];
  }

  /** `enrich/domain/{d}/enrich/`, or undefined on 404. */
  async enrichDomain(domain: string, options: CallOptions = {}): Promise<DomainAnswer | undefined> {
    const path = `enrich/domain/${pathSegment(domain)}/enrich/`;
    const answer = await this.#get(path, domainEnrichmentSchema, options);
    if (answer?.data.domaininfo?.error) throw bodyError(path, answer.data.domaininfo.error);
    return answer;
  }

  /** `enrich/domain/{d}/ip-diversity/`: the records (raw), or undefined on 404. */
  async ipDiversity(domain: string, options: CallOptions = {}): Promise<unknown> {
    const path = `enrich/domain/${pathSegment(domain)}/ip-diversity/`;
    return (await this.#get(path, diversitySchema, options))?.data.records ?? undefined;
  }

  async #get<S extends z.ZodType<{ error?: string | null | undefined }>>(
    path: string,
    schema: S,
    options: CallOptions,
  ): Promise<{ data: z.infer<S>; raw: unknown } | undefined> {
    let body: unknown;
    try {
      body = (await this.#http.getJson(path, callOptions(options))).body;
    } catch (error) {
      if (error instanceof VendorError && error.kind === "not_found") return undefined;
      throw error;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw shapeError(path, issue?.path.join(".") || "body", issue?.message ?? "invalid");
    }
    if (parsed.data.error) throw bodyError(path, parsed.data.error);
    return { data: parsed.data, raw: body };
  }
}

function callOptions(options: CallOptions): GetJsonOptions {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onCachedAnswer ? { onCachedAnswer: options.onCachedAnswer } : {}),
  };
}

function shapeError(path: string, where: string, problem: string): VendorError {
  return new VendorError(
    `${TITLE} answered "${path}" in an unexpected shape (${where}: ${problem}); nothing was sent`,
    { vendor: VENDOR, kind: "invalid_response" },
  );
}

function bodyError(path: string, message: string): VendorError {
  return new VendorError(`${TITLE} refused "${path}": ${quoteValue(message)}`, {
    vendor: VENDOR,
    kind: "client",
  });
}
