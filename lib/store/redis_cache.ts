/**
 * The vendor answer cache in Redis, shared by every replica. Each answer is
 * one string key `opencti-enrich:cache:<cache key>` set with `PX` (Redis drops
 * it when its TTL ends), holding the status, a newline and the body as
 * received: no second JSON encoding of a body that is JSON text already.
 *
 * A failing or unreachable Redis never fails an enrichment: a read is a miss
 * and a write is skipped, logged once per outage.
 *
 * @module
 */

import type { AnswerCache, CachedAnswer } from "../http/mod.ts";
import { entryBytes } from "./memory_cache.ts";
import type { OutageLog } from "./_outage.ts";
import type { RedisConnection } from "./_redis_connection.ts";

/** The namespace of cached answers in Redis. */
export const CACHE_KEY_PREFIX = "opencti-enrich:cache:";

/** Options of {@link RedisAnswerCache}. */
export interface RedisCacheOptions {
  /** Reports failures once per outage. */
  outage: OutageLog;
  /** An answer counting more bytes than this (as the memory cache counts them) is not stored. */
  maxBytes: number;
}

/** An {@link AnswerCache} in Redis. */
export class RedisAnswerCache implements AnswerCache {
  readonly #connection: RedisConnection;
  readonly #outage: OutageLog;
  readonly #maxBytes: number;

  /** Uses `connection`; keys are namespaced under {@link CACHE_KEY_PREFIX}. */
  constructor(connection: RedisConnection, options: RedisCacheOptions) {
    this.#connection = connection;
    this.#outage = options.outage;
    this.#maxBytes = options.maxBytes;
  }

  /** The answer under `key`; undefined when absent, expired, unreadable or Redis fails. */
  async get(key: string): Promise<CachedAnswer | undefined> {
    let raw: string | null;
    try {
      raw = await this.#connection.get(CACHE_KEY_PREFIX + key);
    } catch (error) {
      this.#outage.failed(error);
      return undefined;
    }
    this.#outage.succeeded();
    return raw === null ? undefined : decodeAnswer(raw);
  }

  /** Stores `answer` for `ttlMs`; skipped when Redis fails or the answer exceeds `maxBytes`. */
  async set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void> {
    if (!(ttlMs > 0) || entryBytes(key, answer) > this.#maxBytes) return;
    try {
      await this.#connection.setPx(CACHE_KEY_PREFIX + key, encodeAnswer(answer), ttlMs);
    } catch (error) {
      this.#outage.failed(error);
      return;
    }
    this.#outage.succeeded();
  }
}

function encodeAnswer(answer: CachedAnswer): string {
  return `${answer.status}\n${answer.body}`;
}

/** Undefined for anything this program did not write (another tool's key in the namespace). */
function decodeAnswer(raw: string): CachedAnswer | undefined {
  const match = /^([1-5]\d\d)\n/.exec(raw);
  if (!match) return undefined;
  return { status: Number(match[1]), body: raw.slice(match[0].length) };
}
