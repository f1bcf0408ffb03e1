/**
 * Logging in pycti's JSON shape, with secret redaction.
 *
 * @module
 */

export {
  createLogger,
  formatTimestamp,
  type LogAttributes,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  type LogSink,
  parseLogLevel,
  stderrSink,
} from "./logger.ts";
export { describeError, REDACTED, type Redactor, SecretRedactor } from "./redact.ts";
