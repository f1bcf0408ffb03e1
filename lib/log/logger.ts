/**
 * A logger in pycti's shape: one JSON object per line on stderr with
 * `timestamp`, `level`, `name`, `message` and, when given, `attributes`
 * (client-python pycti/utils/opencti_logger.py), or a plain-text line when
 * JSON logging is off.
 * Every line passes through the {@link SecretRedactor} last.
 *
 * @module
 */

import { describeError, SecretRedactor } from "./redact.ts";

/** Log levels, as pycti names them. */
export type LogLevel = "debug" | "info" | "warning" | "error";

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warning: 30, error: 40 };

/** Structured data attached to a log line. */
export type LogAttributes = Record<string, unknown>;

/** What every component logs through. */
export interface Logger {
  /** Detail useful when debugging. */
  debug(message: string, attributes?: LogAttributes): void;
  /** Normal operation. */
  info(message: string, attributes?: LogAttributes): void;
  /** Something odd that did not stop the work. */
  warning(message: string, attributes?: LogAttributes): void;
  /** A failure. Pass the error as `attributes.error` to log its cause chain. */
  error(message: string, attributes?: LogAttributes): void;
  /**
   * A logger for a sub-component: the same `name` (pycti users filter on it),
   * with `component` added to every line's attributes.
   */
  child(component: string): Logger;
  /** A logger with the same settings under another `name` (one per connector instance). */
  named(name: string): Logger;
  /** True when lines of this level are written. */
  enabled(level: LogLevel): boolean;
}

/** Where finished lines go. */
export type LogSink = (line: string, level: LogLevel) => void;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Logger name: the connector name for connector logs, as pycti does. */
  name: string;
  /** Lowest level written. Default `error`, pycti's default. */
  level?: LogLevel;
  /** JSON lines (default) or plain text. */
  json?: boolean;
  /** Masks secrets in every line. */
  redactor?: SecretRedactor;
  /** Where lines go; default stderr. */
  sink?: LogSink;
  /** Clock for timestamps; default the system clock. */
  now?: () => Date;
}

/** Parses a level name as pycti and the SDK accept them (`warn` = `warning`), case-insensitively. */
export function parseLogLevel(value: string): LogLevel | undefined {
  const lowered = value.trim().toLowerCase();
  if (lowered === "warn") return "warning";
  if (lowered === "critical" || lowered === "fatal") return "error";
  return lowered in LEVEL_RANK ? lowered as LogLevel : undefined;
}

/** Formats a date as pycti's `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "000Z");
}

const encoder = new TextEncoder();

/** Writes a line to stderr synchronously, so lines are never interleaved or lost on exit. */
export function stderrSink(line: string): void {
  const bytes = encoder.encode(line + "\n");
  let written = 0;
  while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
}

/** Creates a logger. */
export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level ?? "error",
    json: options.json ?? true,
    redactor: options.redactor ?? new SecretRedactor(),
    sink: options.sink ?? stderrSink,
    now: options.now ?? (() => new Date()),
  };
  return new LineLogger(options.name, settings);
}

interface LoggerSettings {
  level: LogLevel;
  json: boolean;
  redactor: SecretRedactor;
  sink: LogSink;
  now: () => Date;
}

class LineLogger implements Logger {
  constructor(
    readonly name: string,
    private readonly settings: LoggerSettings,
    private readonly component?: string,
  ) {}

  debug(message: string, attributes?: LogAttributes): void {
    this.#write("debug", message, attributes);
  }
  info(message: string, attributes?: LogAttributes): void {
    this.#write("info", message, attributes);
  }
  warning(message: string, attributes?: LogAttributes): void {
    this.#write("warning", message, attributes);
  }
  error(message: string, attributes?: LogAttributes): void {
    this.#write("error", message, attributes);
  }
  child(component: string): Logger {
    return new LineLogger(this.name, this.settings, component);
  }
  named(name: string): Logger {
    return new LineLogger(name, this.settings, this.component);
  }
  enabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= LEVEL_RANK[this.settings.level];
  }

  #write(level: LogLevel, message: string, attributes?: LogAttributes): void {
    if (!this.enabled(level)) return;
    const { redactor, json, sink, now } = this.settings;
    const timestamp = formatTimestamp(now());
    const given = this.component === undefined
      ? attributes
      : { component: this.component, ...attributes };
    const attrs = given && Object.keys(given).length > 0
      ? redactor.redactValue(given) as LogAttributes
      : undefined;
    let line: string;
    if (json) {
      const record: Record<string, unknown> = {
        timestamp,
        level: level.toUpperCase(),
        name: this.name,
        message,
      };
      if (attrs) record.attributes = attrs;
      const error = attributes?.error;
      if (level === "error" && error instanceof Error && error.stack) {
        record.exc_info = error.stack;
      }
      line = safeStringify(record);
    } else {
      const suffix = attrs ? " " + safeStringify(attrs) : "";
      line = `${timestamp} ${level.toUpperCase()} ${this.name}: ${message}${suffix}`;
    }
    sink(redactor.redact(line), level);
  }
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    return JSON.stringify({ unserializable: describeError(error as Error) });
  }
}
