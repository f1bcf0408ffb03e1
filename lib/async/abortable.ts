/**
 * Races a pending promise against an abort signal, so a step that may hang
 * (a platform that accepts connections and never answers) ends as soon as
 * the signal aborts. The pending work itself is not cancelled: its result is
 * ignored once the signal won.
 *
 * @module
 */

/**
 * Resolves or rejects as `pending` does, or rejects with `signal.reason` as
 * soon as `signal` aborts (at once when it already has). Without a signal it
 * returns `pending` itself.
 */
export function abortable<T>(pending: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return pending;
  if (signal.aborted) {
    pending.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      pending.catch(() => {});
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
