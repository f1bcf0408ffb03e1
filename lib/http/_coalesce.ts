/**
 * Identical calls in flight share one vendor request. Each caller keeps its
 * own abort: a caller that gives up stops waiting at once, and the shared
 * work is aborted only when every caller has given up.
 *
 * @module
 */

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
  /** Forgets the key, so the next caller starts afresh. */
  release(): void;
}

/** What one caller got. */
export interface Shared<T> {
  /** The shared result. */
  value: T;
  /** False for the caller that started the work, true for those that joined it. */
  joined: boolean;
}

/** Shares the result of the work running under a key with every caller asking for that key. */
export class InFlight<T> {
  readonly #flights = new Map<string, Flight<T>>();

  /** Number of keys with work running (or finishing, see `after`). */
  get size(): number {
    return this.#flights.size;
  }

  /**
   * Joins the work running under `key`, or starts `work`. `after` runs once
   * with the result, without holding the callers back; the key stays shared
   * until it is done (e.g. until the answer is in the cache).
   */
  run(
    key: string,
    signal: AbortSignal | undefined,
    work: (signal: AbortSignal) => Promise<T>,
    after?: (value: T) => Promise<void>,
  ): Promise<Shared<T>> {
    signal?.throwIfAborted();
    let flight = this.#flights.get(key);
    const joined = flight !== undefined;
    if (!flight) {
      const controller = new AbortController();
      const started: Flight<T> = {
        promise: work(controller.signal),
        controller,
        waiters: 0,
        release: () => {
          if (this.#flights.get(key) === started) this.#flights.delete(key);
        },
      };
      flight = started;
      this.#flights.set(key, started);
      started.promise.then(
        (value) => (after ? after(value).catch(() => {}) : undefined),
        () => {},
      ).finally(started.release);
    }
    return this.#wait(flight, signal).then((value) => ({ value, joined }));
  }

  #wait(flight: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    flight.waiters++;
    if (!signal) return flight.promise.finally(() => flight.waiters--);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        flight.waiters--;
        if (flight.waiters === 0) {
          // Nobody waits any more: stop the work, and do not let a later caller join it.
          flight.release();
          flight.controller.abort(signal.reason);
        }
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      flight.promise.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          flight.waiters--;
          resolve(value);
        },
        (error) => {
          signal.removeEventListener("abort", onAbort);
          flight.waiters--;
          reject(error);
        },
      );
    });
  }
}
