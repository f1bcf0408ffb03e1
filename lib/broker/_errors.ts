/**
 * The text of a broker failure, safe to show: secrets masked by the
 * program's redactor, and an empty reason named.
 *
 * @module
 */

import { AMQPError } from "@cloudamqp/amqp-client";
import type { Redactor } from "../log/mod.ts";

/** The error's message with every registered secret masked. */
export function reasonOf(error: unknown, redactor: Redactor): string {
  const text = error instanceof Error ? error.message : String(error ?? "");
  return redactor.redact(text) || "connection closed";
}

/** A copy of the error that carries no secret, to keep as a `cause`. */
export function safeCause(error: unknown, redactor: Redactor): Error {
  const copy = new Error(reasonOf(error, redactor));
  copy.name = error instanceof Error ? error.name : "Error";
  return copy;
}

/**
 * True when the broker itself refused the operation, which trying again on a
 * new connection would not change: it closed the channel with a reply code
 * (`channel 1 closed: NOT_FOUND - no exchange 'x' (404)`), or nacked the
 * message. Any other failure of a publish is the connection breaking.
 */
export function isBrokerRefusal(error: unknown): boolean {
  if (error instanceof AMQPError) return /^channel \d+ closed: .*\(\d+\)$/s.test(error.message);
  return error instanceof Error && error.message === "Message rejected";
}
