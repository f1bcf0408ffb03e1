/**
 * STIX timestamps in the one form the platform stores and re-serialises,
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, so ids built from them match the platform's.
 *
 * @module
 */

import { StixError } from "./errors.ts";

/** A point in time: a `Date`, an RFC 3339 timestamp with a zone, or a `YYYY-MM-DD` day (midnight UTC). */
export type Timestamp = Date | string;

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Returns the timestamp as `YYYY-MM-DDTHH:MM:SS.sssZ`; throws a {@link StixError} naming the property. */
export function formatTimestamp(
  value: Timestamp,
  where: { property: string; stixType?: string },
): string {
  let date: Date | undefined;
  if (value instanceof Date) {
    date = value;
  } else if (typeof value === "string") {
    const text = value.trim();
    if (RFC3339.test(text)) date = new Date(text.replace(" ", "T"));
    else if (DAY.test(text)) date = new Date(`${text}T00:00:00.000Z`);
  }
  if (date === undefined || Number.isNaN(date.getTime())) {
    const shown = value instanceof Date ? "an invalid Date" : `"${String(value)}"`;
    throw new StixError(
      `Invalid ${where.property} ${shown}: expected a Date or a timestamp like "2024-01-31T12:00:00Z"`,
      where.stixType === undefined
        ? { property: where.property }
        : { property: where.property, stixType: where.stixType },
    );
  }
  return date.toISOString();
}
