/**
 * Async helpers used across the program: an abortable {@link delay}, a
 * {@link retry} with backoff, jitter and a time budget, and {@link abortable}
 * (a promise raced against a signal), each written once.
 *
 * @module
 */

export { abortable } from "./abortable.ts";
export { delay, type DelayOptions } from "./delay.ts";
export { backoffDelay, retry, RetryError, type RetryOptions } from "./retry.ts";
