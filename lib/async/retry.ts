/**
 * Retrying an async call with exponential backoff and jitter, shaped like
 * std's `async/retry.ts` (`maxAttempts`, `minTimeout`, `maxTimeout`,
 * `multiplier`, `jitter`), plus what callers here need: which errors are
 * worth retrying, a delay the failure itself asks for (`Retry-After`), a
 * total time budget, and abort.
 *
 * @module
 */

import { AppError } from "../errors/mod.ts";
import { delay } from "./delay.ts";

/** Options of {@link retry}. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** Ceiling of the first pause, ms. Default 1000. */
  minTimeout?: number;
  /** Largest pause, ms. Default 60 000. */
  maxTimeout?: number;
  /** Growth of the ceiling per attempt. Default 2. */
  multiplier?: number;
  /** Share of each pause that is random, 0..1: 1 is "full jitter", 0.5 "equal jitter". Default 1. */
  jitter?: number;
  /** True when the failure is worth another attempt. Default: every failure. */
  isRetriable?: (error: unknown) => boolean;
  /** A pause the failure asks for (e.g. `Retry-After`), used instead of the backoff; still capped by `maxTimeout`. */
  delayFor?: (error: unknown) => number | undefined;
  /** Stops retrying when the next pause would end later than this many ms after the first attempt began. */
  budgetMs?: number;
  /** Called before each pause. */
  onRetry?: (error: unknown, info: { attempt: number; delayMs: number }) => void;
  /** Aborts the pauses (the call itself gets `signal` through its argument). */
  signal?: AbortSignal;
  /** Jitter source in [0, 1); default `Math.random`. */
  random?: () => number;
  /** How pauses wait; default {@link delay}. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock for the budget; default `performance.now`. */
  now?: () => number;
}

/** Every attempt failed, or the budget ran out; `cause` is the last failure. */
export class RetryError extends AppError {
  /** How many attempts were made. */
  readonly attempts: number;

  /** Builds the error around the last failure. */
  constructor(cause: unknown, attempts: number) {
    super(`Gave up after ${attempts} attempts: ${messageOf(cause)}`, { cause });
    this.attempts = attempts;
  }
}

/** The pause before attempt `attempt + 2`, as std computes it: `(1 - jitter·random) · min(cap, base·multiplier^attempt)`. */
export function backoffDelay(
  attempt: number,
  options: { minTimeout: number; maxTimeout: number; multiplier: number; jitter: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxTimeout, options.minTimeout * options.multiplier ** attempt);
  return Math.round((1 - options.jitter * random()) * ceiling);
}

/**
 * Calls `fn` until it succeeds. A failure that is not retriable is thrown as
 * it is; when attempts or the budget run out, a {@link RetryError} wraps the
 * last one. An abort during a pause rejects with the signal's reason.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = {
    minTimeout: options.minTimeout ?? 1000,
    maxTimeout: options.maxTimeout ?? 60_000,
    multiplier: options.multiplier ?? 2,
    jitter: options.jitter ?? 1,
  };
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms, signal) => delay(ms, { signal }));
  const now = options.now ?? (() => performance.now());
  const started = now();
  for (let attempt = 0;; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (options.isRetriable && !options.isRetriable(error)) throw error;
      if (attempt + 1 >= maxAttempts) throw new RetryError(error, attempt + 1);
      const asked = options.delayFor?.(error);
      const delayMs = asked !== undefined
        ? Math.min(asked, backoff.maxTimeout)
        : backoffDelay(attempt, backoff, random);
      if (options.budgetMs !== undefined && now() - started + delayMs > options.budgetMs) {
        throw new RetryError(error, attempt + 1);
      }
      options.onRetry?.(error, { attempt: attempt + 1, delayMs });
      await sleep(delayMs, options.signal);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
