/**
 * A guard for the failures `@cloudamqp/amqp-client` 4.1.1 leaves with nobody
 * listening. Deno ends the process on an unhandled rejection or an uncaught
 * exception, so each of these would turn a broker hiccup into a crash (and a
 * crash loop when the trigger repeats). Read from the library's source
 * (cloudamqp/amqp-client.js, src/amqp-base-client.ts, src/amqp-channel.ts,
 * src/amqp-socket-client.ts), they are:
 *
 * - the connection handshake (`AMQPBaseClient.parseFrames`) answers
 *   Connection.Start and Connection.Tune with
 *   `this.send(...).catch(this.rejectConnect)`: the method is passed unbound,
 *   so when the broker resets or closes the socket before the answer is
 *   written, the catch handler itself throws `TypeError: Cannot read
 *   properties of undefined (reading 'connectPromise')`;
 * - with publisher confirms on, `AMQPChannel.basicPublish` creates its
 *   "wait for the confirm" promise before writing and chains it only after
 *   the write succeeded: when the write fails, that promise is rejected later,
 *   when the channel closes (with an `AMQPError`, or a plain `Error` when the
 *   client closed), and nobody listens to it;
 * - a frame that does not parse (a wrong frame-end octet) makes
 *   `parseFrames` throw an `AMQPError` inside the socket's `data` handler: an
 *   uncaught exception, and the connection is left open but unreadable.
 *
 * The client's other internal promises are handled (its reconnect loop,
 * heartbeats and channel RPCs catch their failures). The guard recognises a
 * failure by where it was raised, and only for the connections it
 * protects: an `AMQPError` (only the library makes them) must name one of
 * them; any other error must have been raised inside the package (its first
 * stack frame is in the package's files or, once bundled into one file where
 * those paths are gone, it is the unbound `rejectConnect`'s TypeError by its
 * shape) while one of them is down or (re)connecting, the only time the
 * library raises those. Everything else reaches the runtime.
 *
 * @module
 */

import { AMQPError } from "@cloudamqp/amqp-client";
import type { Logger, Redactor } from "../log/mod.ts";

/** The connections a guard protects. */
export interface GuardedConnections {
  /** True when `connection` (an `AMQPError`'s) is one of them. */
  owns(connection: unknown): boolean;
  /** True while one of them is down or (re)connecting. */
  failing(): boolean;
  /** Ends `connection` (one of them) after `error`, so that its session reconnects. */
  drop(connection: unknown, error: Error): void;
}

/** A failure the guard recognised. */
export interface LibraryRejection {
  /** `connection_error`: an `AMQPError` naming a protected connection; `internal_error`: any other. */
  kind: "connection_error" | "internal_error";
  /** The error's name and message. */
  reason: string;
}

/** Options of {@link guardLibraryRejections}. */
export interface GuardOptions {
  logger: Logger;
  /** Masks secrets in the logged reason. */
  redactor: Redactor;
  /** Quiet time that ends a burst: the first rejection of a burst is a warning, the rest debug (default 60 s). */
  burstMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Where unhandled rejections are dispatched (default `globalThis`). */
  target?: EventTarget;
}

/** Removes a guard. */
export type RemoveGuard = () => void;

/** Where the package's files live, in a path or a URL, whatever the install layout. */
const PACKAGE_PATH = /[\\/]@cloudamqp[\\/]amqp-client[\\/]/;

/** The unbound handler's TypeError, recognisable even when the stack lost the package's paths. */
const UNBOUND_HANDLER =
  /^TypeError: Cannot read properties of undefined \(reading '\w+'\)\n\s+at rejectConnect \(/;

/** Decides whether an unhandled rejection is the library's, on one of `connections`. */
export function libraryRejection(
  reason: unknown,
  connections: GuardedConnections,
): LibraryRejection | undefined {
  if (!(reason instanceof Error)) return undefined;
  const described = `${reason.name}: ${reason.message}`;
  // Only the library makes AMQPErrors, and each names its connection.
  if (reason instanceof AMQPError) {
    return connections.owns(reason.connection)
      ? { kind: "connection_error", reason: described }
      : undefined;
  }
  return raisedInLibrary(reason) && connections.failing()
    ? { kind: "internal_error", reason: described }
    : undefined;
}

/**
 * Keeps the library's failures on `connections` from ending the process:
 * swallows its unhandled rejections, and drops a connection whose frame
 * parsing threw (a corrupt frame from the broker: the exception escapes the
 * socket's data handler, and the stream cannot be read past it), so the
 * session reconnects. Logs a warning for the first of a burst, the rest at
 * debug.
 */
export function guardLibraryErrors(
  connections: GuardedConnections,
  options: GuardOptions,
): RemoveGuard {
  const { logger, redactor } = options;
  const burstMs = options.burstMs ?? 60_000;
  const now = options.now ?? Date.now;
  const target = options.target ?? globalThis;
  let lastAt = Number.NEGATIVE_INFINITY;
  let inBurst = 0;
  const report = (what: string, recognised: LibraryRejection) => {
    const at = now();
    const newBurst = at - lastAt > burstMs;
    lastAt = at;
    inBurst = newBurst ? 1 : inBurst + 1;
    const attributes = {
      kind: recognised.kind,
      reason: redactor.redact(recognised.reason),
      in_burst: inBurst,
    };
    if (newBurst) {
      logger.warning(
        `${what} inside @cloudamqp/amqp-client after a broken broker connection; reconnecting continues (further ones in this burst are logged at debug)`,
        attributes,
      );
    } else {
      logger.debug(`${what} inside @cloudamqp/amqp-client`, attributes);
    }
  };
  const onRejection = (event: Event) => {
    const rejection = event as PromiseRejectionEvent;
    if (rejection.defaultPrevented) return;
    const recognised = libraryRejection(rejection.reason, connections);
    if (!recognised) return;
    rejection.preventDefault();
    report("Ignored an unhandled rejection", recognised);
  };
  const onError = (event: Event) => {
    const { error } = event as ErrorEvent;
    if (event.defaultPrevented || !(error instanceof AMQPError)) return;
    if (!connections.owns(error.connection)) return;
    event.preventDefault();
    connections.drop(error.connection, error);
    report("Dropped the connection after an error thrown", {
      kind: "connection_error",
      reason: `${error.name}: ${error.message}`,
    });
  };
  target.addEventListener("unhandledrejection", onRejection);
  target.addEventListener("error", onError);
  return () => {
    target.removeEventListener("unhandledrejection", onRejection);
    target.removeEventListener("error", onError);
  };
}

function raisedInLibrary(error: Error): boolean {
  const stack = typeof error.stack === "string" ? error.stack : "";
  if (UNBOUND_HANDLER.test(stack)) return true;
  const firstFrame = stack.split("\n").find((line) => /^\s+at /.test(line));
  return firstFrame !== undefined && PACKAGE_PATH.test(firstFrame);
}
