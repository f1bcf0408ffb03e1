/**
 * The error every function of this folder throws on bad input.
 *
 * @module
 */

import { AppError } from "../errors/mod.ts";

/** A STIX object, id or bundle cannot be built from the given input. */
export class StixError extends AppError {
  /** The STIX type being built or identified, e.g. `ipv4-addr`, when known. */
  readonly stixType: string | undefined;
  /** The property (STIX spelling) that failed validation, when one did. */
  readonly property: string | undefined;

  /** Builds the error; the message says what failed and why. */
  constructor(
    message: string,
    options?: { stixType?: string; property?: string; cause?: unknown },
  ) {
    super(message, { cause: options?.cause });
    this.stixType = options?.stixType;
    this.property = options?.property;
  }
}
