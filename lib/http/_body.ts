/**
 * Reading a vendor body without trusting its size. The cap counts the bytes
 * the caller gets, that is after the runtime has undone `Content-Encoding`
 * (Deno's fetch inflates gzip and br transparently), and is enforced while
 * the body streams in: the stream is cancelled as soon as the cap is passed,
 * so a small compressed answer that inflates to gigabytes costs about the cap
 * in memory.
 *
 * The bytes go into one buffer that grows up to the cap. A fetch body is a
 * byte stream, read with a BYOB reader straight into that buffer: Deno hands
 * a default reader each inflated 4 KB chunk as a view on a fresh 64 KB buffer,
 * so keeping the chunks would hold 16 times the cap, and even dropping them
 * leaves that much garbage for the collector.
 *
 * @module
 */

/** A body read up to a cap. */
export interface CappedBody {
  /** The text of the bytes kept (at most the cap; empty when truncated unless asked for). */
  text: string;
  /** True when the body was longer than the cap and the rest was not read. */
  truncated: boolean;
}

/** First size of the buffer when the answer does not say its length. */
const INITIAL_BYTES = 64 * 1024;

/**
 * True when the answer declares a length above `maxBytes`. Only a body sent
 * as is counts: with a `Content-Encoding` the header gives the compressed size.
 */
export function declaresMoreThan(response: Response, maxBytes: number): boolean {
  const length = declaredLength(response);
  return length !== undefined && length > maxBytes;
}

/**
 * Reads at most `maxBytes` bytes of the body as UTF-8 text, then cancels the
 * stream. The text of a truncated body is empty unless `partial` asks for it.
 */
export async function readCapped(
  response: Response,
  maxBytes: number,
  options: { partial?: boolean } = {},
): Promise<CappedBody> {
  const body = response.body;
  if (!body) return { text: "", truncated: false };
  // One byte more than the cap tells "exactly the cap" from "longer".
  const sink = new ByteSink(maxBytes + 1, declaredLength(response));
  let finished = false;
  const byob = byobReader(body);
  const reader = byob ?? body.getReader();
  try {
    while (sink.length <= maxBytes) {
      if (byob) {
        const { done, value } = await byob.read(sink.spare());
        if (value) sink.adopt(value);
        finished = done;
      } else {
        const { done, value } = await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
        if (value) sink.write(value);
        finished = done;
      }
      if (finished) break;
    }
  } finally {
    // Past the cap, or failed mid-way: the rest is never read.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  const bytes = sink.bytes();
  const truncated = bytes.byteLength > maxBytes;
  if (!truncated) return { text: new TextDecoder().decode(bytes), truncated };
  const text = options.partial ? new TextDecoder().decode(bytes.subarray(0, maxBytes)) : "";
  return { text, truncated };
}

/** Drops a body unread (a redirect, an answer refused before reading), ignoring failures. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

function declaredLength(response: Response): number | undefined {
  const encoding = response.headers.get("content-encoding")?.trim().toLowerCase();
  if (encoding && encoding !== "identity") return undefined;
  const header = response.headers.get("content-length");
  const length = header === null ? Number.NaN : Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

function byobReader(body: ReadableStream<Uint8Array>): ReadableStreamBYOBReader | undefined {
  try {
    return body.getReader({ mode: "byob" });
  } catch {
    // Not a byte stream (a body built in JavaScript): read chunks and copy them.
    return undefined;
  }
}

/** A buffer that grows by doubling up to `limit` bytes. */
class ByteSink {
  readonly #limit: number;
  #buffer: Uint8Array<ArrayBuffer>;
  #length = 0;

  constructor(limit: number, expected: number | undefined) {
    this.#limit = limit;
    const first = expected !== undefined ? expected + 1 : INITIAL_BYTES;
    this.#buffer = new Uint8Array(Math.max(1, Math.min(limit, first)));
  }

  get length(): number {
    return this.#length;
  }

  /** The free end of the buffer, for a BYOB read (grown first when full). */
  spare(): Uint8Array<ArrayBuffer> {
    if (this.#length === this.#buffer.byteLength) this.#grow(this.#length + 1);
    return this.#buffer.subarray(this.#length);
  }

  /** Takes the buffer back after a BYOB read (the read transfers it) with the bytes it added. */
  adopt(view: Uint8Array): void {
    this.#buffer = new Uint8Array(view.buffer as ArrayBuffer);
    this.#length = view.byteOffset + view.byteLength;
  }

  /** Copies a chunk in, up to the limit. */
  write(chunk: Uint8Array): void {
    const kept = chunk.subarray(0, this.#limit - this.#length);
    if (this.#length + kept.byteLength > this.#buffer.byteLength) {
      this.#grow(this.#length + kept.byteLength);
    }
    this.#buffer.set(kept, this.#length);
    this.#length += kept.byteLength;
  }

  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }

  #grow(needed: number): void {
    let size = Math.max(1, this.#buffer.byteLength);
    while (size < needed) size *= 2;
    const grown = new Uint8Array(Math.min(this.#limit, size));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }
}
