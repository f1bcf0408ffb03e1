/**
 * One consumed message as the runtime's {@link Delivery}. Acks and nacks
 * never throw: they resolve `true` once sent, and `false` on a channel that
 * died with its connection (the broker then redelivers the message).
 *
 * @module
 */

import type { AMQPMessage } from "@cloudamqp/amqp-client";
import type { Delivery } from "../connector/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";
import { reasonOf } from "./_errors.ts";

/** Wraps a consumed message. */
export function toDelivery(
  message: AMQPMessage,
  context: { logger: Logger; redactor: Redactor },
): Delivery {
  const body = message.body instanceof Uint8Array
    ? message.body
    : new TextEncoder().encode(String(message.body ?? ""));
  const settle = async (action: () => Promise<void>, what: string) => {
    try {
      await action();
      return true;
    } catch (error) {
      context.logger.debug(`Could not ${what} message; the broker will redeliver it`, {
        delivery_tag: message.deliveryTag,
        reason: reasonOf(error, context.redactor),
      });
      return false;
    }
  };
  return {
    body,
    redelivered: message.redelivered,
    ack: () => settle(() => message.ack(), "ack"),
    nack: ({ requeue }) => settle(() => message.nack(requeue), "nack"),
  };
}
