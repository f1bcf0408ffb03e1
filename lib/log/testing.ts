/**
 * A logger that keeps its lines in memory, for tests.
 *
 * @module
 */

import { createLogger, type Logger, type LogLevel } from "./logger.ts";
import { SecretRedactor } from "./redact.ts";

/** A parsed JSON log line. */
export interface CapturedRecord {
  timestamp: string;
  level: string;
  name: string;
  message: string;
  attributes?: Record<string, unknown>;
  exc_info?: string;
}

/** A logger plus everything it wrote. */
export interface CapturedLogger {
  /** The logger to hand to the code under test. */
  logger: Logger;
  /** Raw lines, as they would reach stderr. */
  lines: string[];
  /** The lines parsed back from JSON. */
  records(): CapturedRecord[];
  /** The redactor the logger uses; register secrets on it. */
  redactor: SecretRedactor;
}

/** Creates a JSON logger at `level` (default debug) that writes into memory. */
export function captureLogger(
  options: { name?: string; level?: LogLevel; redactor?: SecretRedactor } = {},
): CapturedLogger {
  const lines: string[] = [];
  const redactor = options.redactor ?? new SecretRedactor();
  const logger = createLogger({
    name: options.name ?? "test",
    level: options.level ?? "debug",
    redactor,
    sink: (line) => lines.push(line),
  });
  return {
    logger,
    lines,
    redactor,
    records: () => lines.map((line) => JSON.parse(line) as CapturedRecord),
  };
}
