/**
 * A sliding-window rate limiter: at most `limit` starts in any window of
 * `windowMs`, shared by every concurrent caller. Callers wait their turn in
 * arrival order; waiting can be aborted.
 *
 * @module
 */

/** Limits how many operations start per window. */
export class SlidingWindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #starts: number[] = [];
  #queue: Promise<void> = Promise.resolve();

  /** Allows `limit` starts per `windowMs`. */
  constructor(limit: number, windowMs: number, now: () => number = () => performance.now()) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Resolves when the caller may start. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#wait(signal));
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
      const wait = this.#windowMs - (now - this.#starts[0]!) + 1;
      await sleep(wait, signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
