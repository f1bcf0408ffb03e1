/**
 * What the connector accepts of a platform's HTTP answer before GraphQL
 * reads it: no redirect is followed (the token and the custom headers go
 * only to OPENCTI_URL; a redirect says which address to configure instead),
 * and the body is read up to {@link MAX_ANSWER_BYTES}, counted while it
 * streams, so a broken or hostile proxy cannot make the connector buffer an
 * answer of any size.
 *
 * @module
 */

import { displayUrl } from "./_endpoint.ts";

/** The largest platform answer read: far above any answer to the connector's queries. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The platform answered a redirect; `location` is absolute, without credentials, query or fragment. */
export class PlatformRedirect extends Error {
  readonly status: number;
  readonly location: string | undefined;

  constructor(status: number, location: string | undefined) {
    super(`HTTP ${status} redirect${location ? ` to "${location}"` : ""}`);
    this.name = "PlatformRedirect";
    this.status = status;
    this.location = location;
  }
}

/** The platform's answer was larger than the connector reads. */
export class AnswerTooLarge extends Error {
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`The answer is larger than ${maxBytes} bytes`);
    this.name = "AnswerTooLarge";
    this.maxBytes = maxBytes;
  }
}

/**
 * Throws {@link PlatformRedirect} for a redirect answer (fetch must be called
 * with `redirect: "manual"`) and {@link AnswerTooLarge} for a body over
 * `maxBytes`. An answer that declares its length within the limit is
 * returned as it is (HTTP framing holds the body to that length); one sent
 * in chunks is read here, counting, and returned with the bytes read.
 */
export async function guardAnswer(
  response: Response,
  options: { requestUrl: string; maxBytes?: number },
): Promise<Response> {
  const maxBytes = options.maxBytes ?? MAX_ANSWER_BYTES;
  if (REDIRECT_STATUSES.has(response.status)) {
    void response.body?.cancel().catch(() => {});
    throw new PlatformRedirect(response.status, locationOf(response, options.requestUrl));
  }
  const declared = response.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim())) {
    if (Number(declared) <= maxBytes) return response;
    void response.body?.cancel().catch(() => {});
    throw new AnswerTooLarge(maxBytes);
  }
  if (!response.body) return response;
  const body = await readWithin(response.body, maxBytes);
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

async function readWithin(stream: ReadableStream<Uint8Array>, maxBytes: number) {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      void reader.cancel().catch(() => {});
      throw new AnswerTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function locationOf(response: Response, requestUrl: string): string | undefined {
  const location = response.headers.get("location");
  if (!location) return undefined;
  try {
    const url = new URL(location, requestUrl);
    return displayUrl(`${url.origin}${url.pathname}`);
  } catch {
    return undefined;
  }
}
