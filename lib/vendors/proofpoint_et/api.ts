/**
 * The ET Intelligence calls (proofpoint-et.md §2.2). Each call answers
 * `found` items (invalid ones skipped and logged), `none` (404, an empty
 * answer, or for IPv6 another 4xx: decision 7), or throws the vendor error.
 *
 * @module
 */

import type { z } from "zod";
import { VendorError } from "../../errors/mod.ts";
import { encodePathSegment, type VendorHttpClient } from "../../http/mod.ts";
import type { Logger } from "../../log/mod.ts";
import { envelopeSchema } from "./schemas.ts";

/** The registry name used in errors and metrics. */
export const VENDOR = "proofpoint-et";

/** What one call gave. */
export type CallResult<T> = { kind: "found"; value: T } | { kind: "none" };

/** Typed calls on the shared HTTP client. */
export class EtIntelligenceApi {
  readonly #http: VendorHttpClient;
  readonly #logger: Logger;

  /** Wraps a configured client (base URL and raw key set). */
  constructor(http: VendorHttpClient, logger: Logger) {
    this.#http = http;
    this.#logger = logger;
  }

  /** A list endpoint: each item validated on its own. */
  async list<S extends z.ZodType>(
    segments: readonly string[],
    item: S,
    options: { signal?: AbortSignal; lenient4xx?: boolean } = {},
  ): Promise<CallResult<z.infer<S>[]>> {
    const response = await this.#response(segments, options);
    if (response === undefined) return { kind: "none" };
    if (!Array.isArray(response)) {
      if (isEmptyObject(response)) return { kind: "none" };
      throw this.#shapeError(segments, "expected a list");
    }
    const items: z.infer<S>[] = [];
    for (const [index, raw] of response.entries()) {
      const parsed = item.safeParse(raw);
      if (parsed.success) items.push(parsed.data);
      else {
        this.#logger.warning("[VALIDATION] Skipped an invalid ET Intelligence item", {
          path: segments.join("/"),
          index,
          reason: `${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
        });
      }
    }
    return items.length > 0 ? { kind: "found", value: items } : { kind: "none" };
  }

  /** An object endpoint. */
  async object<S extends z.ZodType>(
    segments: readonly string[],
    schema: S,
    options: { signal?: AbortSignal; lenient4xx?: boolean } = {},
  ): Promise<CallResult<z.infer<S>>> {
    const response = await this.#response(segments, options);
    if (response === undefined || isEmptyObject(response)) return { kind: "none" };
    const parsed = schema.safeParse(response);
    if (!parsed.success) {
      this.#logger.warning(
        "[VALIDATION] A validation error has been encountered for the response structure.",
        {
          path: segments.join("/"),
          reason: `${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
        },
      );
      return { kind: "none" };
    }
    return { kind: "found", value: parsed.data };
  }

  async #response(
    segments: readonly string[],
    options: { signal?: AbortSignal; lenient4xx?: boolean },
  ): Promise<unknown> {
    const path = segments.map(encodePathSegment).join("/");
    let body: unknown;
    try {
      body =
        (await this.#http.getJson(path, options.signal ? { signal: options.signal } : {})).body;
    } catch (error) {
      if (error instanceof VendorError) {
        if (error.kind === "not_found") return undefined;
        if (error.kind === "auth") {
          throw new VendorError(
            `ET Intelligence rejected the API key (HTTP ${error.status}): check PROOFPOINT_ET_INTELLIGENCE_API_KEY and the subscription`,
            {
              vendor: VENDOR,
              kind: "auth",
              ...(error.status ? { status: error.status } : {}),
              cause: error,
            },
          );
        }
        if (error.kind === "client" && options.lenient4xx) return undefined;
      }
      throw error;
    }
    const envelope = envelopeSchema.safeParse(body);
    if (!envelope.success) throw this.#shapeError(segments, "no {success, response} envelope");
    return envelope.data.response ?? undefined;
  }

  #shapeError(segments: readonly string[], reason: string): VendorError {
    return new VendorError(
      `ET Intelligence answered "${segments.join("/")}" in an unexpected shape: ${reason}`,
      { vendor: VENDOR, kind: "invalid_response" },
    );
  }
}

function isEmptyObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value) &&
    Object.keys(value).length === 0;
}
