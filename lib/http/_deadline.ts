/**
 * The deadline of one attempt: it covers connecting, the headers and reading
 * the whole body (the signal stays attached to the body stream until the
 * attempt ends), and follows the caller's signal.
 *
 * @module
 */

/** An attempt's signal and the means to release it. */
export interface Deadline {
  /** Aborts with a `TimeoutError` DOMException at the deadline, or with the caller's reason. */
  signal: AbortSignal;
  /** Releases the timer and the listener on the caller's signal. */
  clear(): void;
}

/**
 * Starts a deadline of `timeoutMs`. Its timer and listener are released as
 * soon as the attempt ends: `AbortSignal.timeout` would keep every request's
 * signal alive for the whole timeout, which at hundreds of requests a second
 * is tens of megabytes of heap.
 */
export function startDeadline(timeoutMs: number, outer: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, "TimeoutError")),
    timeoutMs,
  );
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    },
  };
}
