/**
 * SIGTERM/SIGINT in every phase. The first signal aborts {@link StopSignals.signal}:
 * start-up calls, retry pauses and probes end at once, and a running
 * connector stops consuming and lets in-flight messages finish. A second
 * signal calls the `onSecond` handler, which `main.ts` uses to exit at once
 * with 128 + the signal's number (130 for SIGINT, 143 for SIGTERM), as a
 * shell reports a process killed by that signal.
 *
 * @module
 */

import { AppError } from "../errors/mod.ts";

/** The reason of the stop signal's abort: an operator asked the process to stop. */
export class StopRequested extends AppError {
  /** The signal received. */
  readonly signal: Deno.Signal;

  /** Builds the reason for `signal`. */
  constructor(signal: Deno.Signal) {
    super(`Stopped by ${signal}`);
    this.signal = signal;
  }
}

/** The process's stop signals. */
export interface StopSignals extends Disposable {
  /** Aborted at the first signal, with a {@link StopRequested} reason. */
  readonly signal: AbortSignal;
  /** Resolves with the first signal's name. */
  readonly first: Promise<Deno.Signal>;
  /** Called at the second signal (and every later one). */
  onSecond(handler: (signal: Deno.Signal) => void): void;
}

/** The exit code of a process ended by `signal`: 128 + its number. */
export function signalExitCode(signal: Deno.Signal): number {
  return signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 1;
}

/** Listens for SIGTERM and SIGINT until disposed. */
export function listenForStop(names: readonly Deno.Signal[] = ["SIGTERM", "SIGINT"]): StopSignals {
  const controller = new AbortController();
  const first = Promise.withResolvers<Deno.Signal>();
  const second: Array<(signal: Deno.Signal) => void> = [];
  const handlers = names.map((name) => {
    const handler = () => {
      if (!controller.signal.aborted) {
        controller.abort(new StopRequested(name));
        first.resolve(name);
      } else {
        for (const callback of second) callback(name);
      }
    };
    Deno.addSignalListener(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    first: first.promise,
    onSecond: (handler) => void second.push(handler),
    [Symbol.dispose]() {
      for (const [name, handler] of handlers) Deno.removeSignalListener(name, handler);
    },
  };
}

/** True when `error` is the stop signal's reason (the operator stopped the process). */
export function isStopRequested(error: unknown): error is StopRequested {
  return error instanceof StopRequested;
}
