/**
 * An abortable pause, shaped like std's `async/delay.ts`.
 *
 * @module
 */

/** Options of {@link delay}. */
export interface DelayOptions {
  /** Ends the pause early: the promise then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Resolves after `ms` milliseconds; rejects with `signal.reason` as soon as the signal aborts. */
export function delay(ms: number, options: DelayOptions = {}): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
