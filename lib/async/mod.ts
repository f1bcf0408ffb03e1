/**
 * Async helpers used across the program: an abortable {@link delay} and a
 * {@link retry} with backoff, jitter and a time budget, each written once.
 *
 * @module
 */

export { delay, type DelayOptions } from "./delay.ts";
export { backoffDelay, retry, RetryError, type RetryOptions } from "./retry.ts";
