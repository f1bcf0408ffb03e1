/**
 * The in-memory vendor answer cache: bounded by entries and by bytes, least
 * recently used evicted first, each answer kept for its own TTL.
 *
 * A `Map` iterates in insertion order, so deleting and re-inserting a key on
 * every use keeps the least recently used entry first: get and set are O(1).
 * Answers stored with the same TTL expire in the order they were stored, so
 * one insertion-ordered map per TTL (a vendor has one `cache_ttl`) finds the
 * expired entries by looking at the head of each: dropping them costs O(1)
 * per entry, amortised.
 *
 * @module
 */

import type { AnswerCache, CachedAnswer } from "../http/mod.ts";

/**
 * Bytes counted per entry on top of its strings: the map slots, the entry
 * object and the status. An estimate: V8 does not expose an object's size.
 */
export const ENTRY_OVERHEAD_BYTES = 96;

/** Options of {@link MemoryAnswerCache}. */
export interface MemoryCacheOptions {
  /** Most answers kept. */
  maxEntries: number;
  /** Most bytes kept, counted as UTF-16 (2 bytes per code unit of key and body) plus {@link ENTRY_OVERHEAD_BYTES} per entry. */
  maxBytes: number;
  /** Monotonic clock in milliseconds; default `performance.now`. */
  now?: () => number;
}

interface Entry {
  readonly key: string;
  readonly answer: CachedAnswer;
  readonly bytes: number;
  readonly ttlMs: number;
  readonly expiresAt: number;
}

/** An {@link AnswerCache} in the process's memory, within an entry and a byte budget. */
export class MemoryAnswerCache implements AnswerCache {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  /** Every live entry, least recently used first. */
  readonly #entries = new Map<string, Entry>();
  /** The same entries per TTL, first to expire first. */
  readonly #byTtl = new Map<number, Map<string, Entry>>();
  #bytes = 0;

  /** Creates an empty cache with the given bounds. */
  constructor(options: MemoryCacheOptions) {
    this.#maxEntries = Math.max(0, Math.floor(options.maxEntries));
    this.#maxBytes = Math.max(0, options.maxBytes);
    this.#now = options.now ?? (() => performance.now());
  }

  /** Number of answers held (expired ones not yet dropped included). */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes held, as counted against `maxBytes`. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The answer under `key` (it becomes the most recently used), or undefined when absent or expired. */
  get(key: string): Promise<CachedAnswer | undefined> {
    const entry = this.#entries.get(key);
    if (!entry) return Promise.resolve(undefined);
    if (entry.expiresAt <= this.#now()) {
      this.#remove(entry);
      return Promise.resolve(undefined);
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return Promise.resolve({ status: entry.answer.status, body: entry.answer.body });
  }

  /**
   * Stores `answer` for `ttlMs`, dropping expired entries and then the least
   * recently used ones until it fits. An answer larger than the whole byte
   * budget is not stored (and nothing is evicted for it).
   */
  set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void> {
    const previous = this.#entries.get(key);
    if (previous) this.#remove(previous);
    const bytes = entryBytes(key, answer);
    if (!(ttlMs > 0) || bytes > this.#maxBytes || this.#maxEntries === 0) {
      return Promise.resolve();
    }
    const now = this.#now();
    if (this.#entries.size >= this.#maxEntries || this.#bytes + bytes > this.#maxBytes) {
      this.#dropExpired(now);
    }
    while (this.#entries.size >= this.#maxEntries || this.#bytes + bytes > this.#maxBytes) {
      const oldest = this.#entries.values().next().value;
      if (!oldest) break;
      this.#remove(oldest);
    }
    const entry: Entry = {
      key,
      answer: { status: answer.status, body: answer.body },
      bytes,
      ttlMs,
      expiresAt: now + ttlMs,
    };
    this.#entries.set(key, entry);
    let queue = this.#byTtl.get(ttlMs);
    if (!queue) {
      queue = new Map();
      this.#byTtl.set(ttlMs, queue);
    }
    queue.set(key, entry);
    this.#bytes += bytes;
    return Promise.resolve();
  }

  #dropExpired(now: number): void {
    for (const queue of this.#byTtl.values()) {
      for (const entry of queue.values()) {
        if (entry.expiresAt > now) break;
        this.#remove(entry);
      }
    }
  }

  #remove(entry: Entry): void {
    this.#entries.delete(entry.key);
    const queue = this.#byTtl.get(entry.ttlMs);
    queue?.delete(entry.key);
    if (queue?.size === 0) this.#byTtl.delete(entry.ttlMs);
    this.#bytes -= entry.bytes;
  }
}

/** The bytes an entry counts for: its key and body as UTF-16, plus the per-entry overhead. */
export function entryBytes(key: string, answer: CachedAnswer): number {
  return (key.length + answer.body.length) * 2 + ENTRY_OVERHEAD_BYTES;
}
