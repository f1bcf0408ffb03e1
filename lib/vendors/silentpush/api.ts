/**
 * The Silent Push API calls the connector makes (silentpush.md §8 items 6-7):
 * IPv4/IPv6/domain enrichment and the domain's IP diversity. A 404 is "no
 * data"; an `error` field in a 2xx body, or a body that is not the documented
 * shape, is a vendor error.
 *
 * @module
 */

import type { z } from "zod";
import { VendorError } from "../../errors/mod.ts";
import { encodePathSegment, type VendorHttpClient } from "../../http/mod.ts";
import {
  diversitySchema,
  type DomainEnrichment,
  domainEnrichmentSchema,
  ipEnrichmentSchema,
} from "./schemas.ts";

/** The registry name used in errors and metrics. */
export const VENDOR = "silentpush";

/** Typed calls on top of the shared HTTP client. */
export class SilentPushApi {
  readonly #http: VendorHttpClient;

  /** Wraps a configured HTTP client (base URL and x-api-key set). */
  constructor(http: VendorHttpClient) {
    this.#http = http;
  }

  /** `enrich/{ipv4|ipv6}/{ip}/enrich/`: the `ip2asn` items, or undefined on 404. */
  async enrichIp(
    kind: "ipv4" | "ipv6",
    ip: string,
    signal?: AbortSignal,
  ): Promise<unknown[] | undefined> {
    const body = await this.#get(
      `enrich/${kind}/${encodePathSegment(ip)}/enrich/`,
      ipEnrichmentSchema,
      signal,
    );
    return body?.ip2asn ?? undefined;
  }

  /** `enrich/domain/{d}/enrich/`, or undefined on 404. */
  async enrichDomain(domain: string, signal?: AbortSignal): Promise<DomainEnrichment | undefined> {
    const body = await this.#get(
      `enrich/domain/${encodePathSegment(domain)}/enrich/`,
      domainEnrichmentSchema,
      signal,
    );
    if (body?.domaininfo?.error) throw bodyError(`enrich/domain/${domain}`, body.domaininfo.error);
    return body;
  }

  /** `enrich/domain/{d}/ip-diversity/`: the records, or undefined on 404. */
  async ipDiversity(domain: string, signal?: AbortSignal): Promise<unknown[] | undefined> {
    const body = await this.#get(
      `enrich/domain/${encodePathSegment(domain)}/ip-diversity/`,
      diversitySchema,
      signal,
    );
    return body?.records ?? undefined;
  }

  async #get<S extends z.ZodType<{ error?: string | null | undefined }>>(
    path: string,
    schema: S,
    signal?: AbortSignal,
  ): Promise<z.infer<S> | undefined> {
    let body: unknown;
    try {
      body = (await this.#http.getJson(path, signal ? { signal } : {})).body;
    } catch (error) {
      if (error instanceof VendorError && error.kind === "not_found") return undefined;
      throw error;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new VendorError(
        `Silent Push answered "${path}" in an unexpected shape (${
          issue?.path.join(".") || "body"
        }: ${issue?.message ?? "invalid"}); nothing was sent`,
        { vendor: VENDOR, kind: "invalid_response" },
      );
    }
    if (parsed.data.error) throw bodyError(path, parsed.data.error);
    return parsed.data;
  }
}

function bodyError(path: string, message: string): VendorError {
  return new VendorError(`Silent Push refused "${path}": ${message}`, {
    vendor: VENDOR,
    kind: "client",
  });
}
