/**
 * One warning per outage of a shared-store component, one info line when it
 * works again: a Redis that is down fails every call, and a line per call
 * would bury the log.
 *
 * @module
 */

import { describeConnectionFailure } from "../errors/mod.ts";
import type { Logger, Redactor } from "../log/mod.ts";

/** What an outage log says about its component. */
export interface OutageSubject {
  /** The component, e.g. `Redis answer cache`. */
  component: string;
  /** What happens meanwhile, e.g. `vendor answers are not cached`. */
  meanwhile: string;
  /** Where the store is (`host:port/db`, never the URL). */
  target: string;
}

/** Logs the first failure after a success, and the first success after a failure. */
export class OutageLog {
  readonly #logger: Logger;
  readonly #redactor: Redactor;
  readonly #subject: OutageSubject;
  #down = false;

  /** Creates the log of one component. */
  constructor(logger: Logger, redactor: Redactor, subject: OutageSubject) {
    this.#logger = logger;
    this.#redactor = redactor;
    this.#subject = subject;
  }

  /** True between a failure and the next success. */
  get down(): boolean {
    return this.#down;
  }

  /** A call failed: warns once per outage, with the cause read from the error's whole chain. */
  failed(error: unknown): void {
    if (this.#down) return;
    this.#down = true;
    const failure = describeConnectionFailure(error);
    const { component, meanwhile, target } = this.#subject;
    this.#logger.warning(
      this.#redactor.redact(
        `The ${component} at ${target} failed: ${failure.reason}; ${meanwhile} until it answers again (CONNECTOR_CACHE_URL)`,
      ),
      {
        target,
        cause: failure.kind,
        detail: this.#redactor.redact(failure.detail),
      },
    );
  }

  /** A call succeeded: says so once when it ends an outage. */
  succeeded(): void {
    if (!this.#down) return;
    this.#down = false;
    const { component, target } = this.#subject;
    this.#logger.info(`The ${component} at ${target} answers again`, { target });
  }
}
