/**
 * The answer cache and in-flight sharing of one client. A 2xx JSON answer
 * and a 404 are stored as `{status, body: text}` under
 * `${vendor}:${fingerprint}:${path}?${sorted query}`; a hit is handed back like
 * a live answer; identical calls in flight share one lookup and one request.
 * The store never fails a call (see {@link GuardedCache}).
 *
 * @module
 */

import type { Logger, Redactor } from "../log/mod.ts";
import { cacheKey } from "./_cache_key.ts";
import { InFlight } from "./_coalesce.ts";
import { GuardedCache } from "./_guarded_cache.ts";
import type { RawAnswer } from "./_request.ts";
import type { CachedAnswer, VendorStore } from "./store.ts";

/** An answer and where it came from. */
export type Answer = RawAnswer & { fromCache: boolean };

/** What {@link SharedAnswers} needs. */
export interface SharedAnswersOptions {
  vendor: string;
  store: VendorStore;
  ttlMs: number;
  logger: Logger;
  redactor: Redactor;
  /** The credential fingerprint of the client (computed once). */
  fingerprint: () => Promise<string>;
  /** Sees each lookup. */
  onLookup?: (hit: boolean) => void;
}

/** Answers from the cache, or from one shared request. */
export class SharedAnswers {
  readonly #options: SharedAnswersOptions;
  readonly #cache: GuardedCache;
  readonly #inflight = new InFlight<Answer>();

  /** Binds the store. */
  constructor(options: SharedAnswersOptions) {
    this.#options = options;
    const { vendor, logger, redactor } = options;
    this.#cache = new GuardedCache(options.store.cache, { vendor, logger, redactor });
  }

  /** The cached answer to `url`, or the one `ask` gets (then stored, without holding the caller). */
  async answer(
    url: URL,
    signal: AbortSignal | undefined,
    ask: (signal: AbortSignal) => Promise<RawAnswer>,
  ): Promise<Answer> {
    const key = cacheKey(this.#options.vendor, await this.#options.fingerprint(), url);
    const { value } = await this.#inflight.run(key, signal, async (shared) => {
      const hit = fromCache(await this.#cache.get(key));
      this.#options.onLookup?.(hit !== undefined);
      return hit ?? { ...(await ask(shared)), fromCache: false };
    }, async (answer) => {
      if (!answer.fromCache) await this.#cache.set(key, toCached(answer), this.#options.ttlMs);
    });
    return value;
  }
}

function toCached(answer: RawAnswer): CachedAnswer {
  return { status: answer.status, body: answer.text };
}

/** A stored answer as a live one; undefined for a miss or an entry that does not parse. */
function fromCache(stored: CachedAnswer | undefined): Answer | undefined {
  if (!stored) return undefined;
  const headers = new Headers();
  if (stored.status === 404) {
    return { status: 404, text: stored.body, body: undefined, headers, fromCache: true };
  }
  if (stored.status < 200 || stored.status > 299) return undefined;
  try {
    const body = JSON.parse(stored.body);
    return { status: stored.status, text: stored.body, body, headers, fromCache: true };
  } catch {
    return undefined;
  }
}
