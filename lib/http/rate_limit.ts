/**
 * A sliding-window rate limiter: at most `limit` starts in any window of
 * `windowMs`, shared by every concurrent caller of one process. Callers wait
 * their turn in arrival order; waiting can be aborted. It is the local
 * {@link RateLimiter} of the vendor client when no shared store is configured.
 *
 * @module
 */

import { delay } from "../async/mod.ts";
import type { RateLimiter } from "./store.ts";

/** Limits how many operations start per window. */
export class SlidingWindowLimiter implements RateLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #starts: number[] = [];
  #queue: Promise<unknown> = Promise.resolve();

  /** Allows `limit` starts per `windowMs`. */
  constructor(limit: number, windowMs: number, now: () => number = () => performance.now()) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Resolves when the caller may start, with the milliseconds it waited; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<number> {
    const arrived = this.#now();
    const turn = this.#queue.then(() => this.#wait(signal)).then(() =>
      // Whole milliseconds: the sub-millisecond of queueing behind free slots is not a wait.
      Math.max(0, Math.floor(this.#now() - arrived))
    );
    // The next caller waits for this one's slot, whether it got it or gave up.
    this.#queue = turn.catch(() => {});
    return turn;
  }

  async #wait(signal?: AbortSignal): Promise<void> {
    while (true) {
      signal?.throwIfAborted();
      const now = this.#now();
      while (this.#starts.length > 0 && now - this.#starts[0]! >= this.#windowMs) {
        this.#starts.shift();
      }
      if (this.#starts.length < this.#limit) {
        this.#starts.push(now);
        return;
      }
      await delay(this.#windowMs - (now - this.#starts[0]!) + 1, { signal });
    }
  }
}
