/**
 * The ET Intelligence calls: `GET {base}{collection}/{value}[/{sub}]` with
 * the raw key in `Authorization`, answered in a `{success, response,
 * message}` envelope. Each call answers `found`, `none` (a 404, an empty
 * answer, or for IPv6 another 4xx: the API documents IPv4 only), `invalid`
 * (an object answer without the documented fields), or throws the vendor
 * error. List answers are returned as they are: the caller takes its capped
 * share and checks each item.
 *
 * @module
 */

import { VendorError } from "../../errors/mod.ts";
import type { GetJsonOptions, VendorHttpClient } from "../../http/mod.ts";
import { type Checked, pathSegment } from "../values.ts";
import { PROOFPOINT_ET_DESCRIPTOR } from "./descriptor.ts";
import { envelopeSchema } from "./schemas.ts";

const { name: VENDOR, title: TITLE } = PROOFPOINT_ET_DESCRIPTOR;

/** What one call gave. */
export type CallResult<T> =
  | { kind: "found"; value: T }
  | { kind: "none" }
  | { kind: "invalid"; reason: string };

/** Per-call options. */
export interface CallOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
  /** Called when the answer came from the cache. */
  onCachedAnswer?: () => void;
  /** A 4xx other than 401/403/429 is "no data" (IPv6 lookups). */
  lenient4xx?: boolean;
}

/** Typed calls on the shared HTTP client. */
export class EtIntelligenceApi {
  readonly #http: VendorHttpClient;

  /** Wraps a configured client (base URL and raw key set). */
  constructor(http: VendorHttpClient) {
    this.#http = http;
  }

  /** A list endpoint: the items as answered (not checked), or none when the list is empty. */
  async list(
    segments: readonly string[],
    options: CallOptions = {},
  ): Promise<CallResult<readonly unknown[]>> {
    const response = await this.#response(segments, options);
    if (response === undefined) return { kind: "none" };
    if (!Array.isArray(response)) {
      if (isEmptyObject(response)) return { kind: "none" };
      throw this.#shapeError(segments, "expected a list");
    }
    return response.length > 0 ? { kind: "found", value: response } : { kind: "none" };
  }

  /** An object endpoint, checked with `parse`. */
  async object<T>(
    segments: readonly string[],
    parse: (response: unknown) => Checked<T>,
    options: CallOptions = {},
  ): Promise<CallResult<T>> {
    const response = await this.#response(segments, options);
    if (response === undefined || isEmptyObject(response)) return { kind: "none" };
    const checked = parse(response);
    return checked.ok
      ? { kind: "found", value: checked.value }
      : { kind: "invalid", reason: checked.reason };
  }

  async #response(segments: readonly string[], options: CallOptions): Promise<unknown> {
    const path = segments.map(pathSegment).join("/");
    const call: GetJsonOptions = {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onCachedAnswer ? { onCachedAnswer: options.onCachedAnswer } : {}),
    };
    let body: unknown;
    try {
      body = (await this.#http.getJson(path, call)).body;
    } catch (error) {
      if (error instanceof VendorError) {
        if (error.kind === "not_found") return undefined;
        if (error.kind === "auth") {
          throw new VendorError(
            `${TITLE} rejected the API key (HTTP ${error.status}): check PROOFPOINT_ET_INTELLIGENCE_API_KEY and the subscription`,
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
      `${TITLE} answered "${segments.join("/")}" in an unexpected shape: ${reason}`,
      { vendor: VENDOR, kind: "invalid_response" },
    );
  }
}

function isEmptyObject(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  for (const _ in value) return false;
  return true;
}
