/**
 * The calls of one ET Intelligence enrichment run at once; one failing call
 * must not lose the answers of the others, so each is settled on its own.
 *
 * @module
 */

import type { CallResult } from "./api.ts";

/** A call's answer, or the error it threw. */
export type Settled<T> = { value: T } | { error: unknown };

/** The settled calls, by name; a call not made (undefined) has no entry. */
export type SettledCalls<T extends Record<string, Promise<unknown> | undefined>> = {
  [K in keyof T]?: Settled<Awaited<NonNullable<T[K]>>>;
};

/** Waits for every call made; each gets its answer or its error. */
export async function settleAll<T extends Record<string, Promise<unknown> | undefined>>(
  calls: T,
): Promise<SettledCalls<T>> {
  const entries = await Promise.all(
    Object.entries(calls).flatMap(([key, promise]) =>
      promise === undefined ? [] : [
        promise.then(
          (value) => [key, { value }] as const,
          (error: unknown) => [key, { error }] as const,
        ),
      ]
    ),
  );
  return Object.fromEntries(entries) as SettledCalls<T>;
}

/** The value of a call that found something; undefined for no data, an error or no call. */
export function found<T>(settled: Settled<CallResult<T>> | undefined): T | undefined {
  return settled && "value" in settled && settled.value.kind === "found"
    ? settled.value.value
    : undefined;
}
