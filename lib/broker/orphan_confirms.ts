/**
 * A guard for a dangling promise inside `@cloudamqp/amqp-client` 4.1.1.
 *
 * With publisher confirms on, `AMQPChannel.basicPublish` creates a
 * "wait for confirm" promise and only chains it after the frames were
 * written. When the socket breaks during that write, the publish itself
 * rejects (we handle that and retry), but the confirm promise is rejected a
 * moment later, when the library closes the channel, and nobody listens to
 * it. Deno treats that as an uncaught error and would end the process on
 * every broker cut that lands during a publish.
 *
 * The guard swallows exactly those rejections: an `AMQPError` raised on the
 * connection this broker owns. Anything else still reaches the runtime.
 *
 * @module
 */

import { AMQPError } from "@cloudamqp/amqp-client";
import type { Logger } from "../log/mod.ts";

/** Removes the guard. */
export type RemoveGuard = () => void;

/** Swallows the library's orphaned confirm rejections for one connection. */
export function guardOrphanedConfirms(
  ownsConnection: (connection: unknown) => boolean,
  logger: Logger,
): RemoveGuard {
  const onRejection = (event: PromiseRejectionEvent) => {
    const reason: unknown = event.reason;
    if (!(reason instanceof AMQPError) || !ownsConnection(reason.connection)) return;
    event.preventDefault();
    logger.debug("Ignored a publish confirm orphaned by a broken connection", {
      reason: reason.message,
    });
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  return () => globalThis.removeEventListener("unhandledrejection", onRejection);
}
