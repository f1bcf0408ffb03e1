/**
 * Secret redaction. Every secret the program learns (OpenCTI token, vendor API
 * keys, AMQP password, TLS passphrases) is registered here, and every log line
 * and printed error passes through {@link SecretRedactor.redact} last, so a
 * secret cannot leak whatever object carried it.
 *
 * @module
 */

/** What replaces a secret in output. */
export const REDACTED = "[REDACTED]";

/** Secrets shorter than this are not registered: masking "a" would mangle every line. */
const MIN_SECRET_LENGTH = 4;

/** Attribute keys whose values are always masked, whatever they hold. */
const SECRET_KEY_PATTERN =
  /(token|password|passwd|^pass$|secret|api_?key|authorization|passphrase)/i;

/** Holds the secrets to mask and masks them in text and structured values. */
export class SecretRedactor {
  #secrets: string[] = [];

  /** Registers secrets to mask; empty, short and repeated values are ignored. */
  add(...secrets: ReadonlyArray<string | undefined | null>): void {
    for (const secret of secrets) {
      if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) continue;
      if (this.#secrets.includes(secret)) continue;
      this.#secrets.push(secret);
      // Longest first, so a secret containing another is masked whole.
      this.#secrets.sort((a, b) => b.length - a.length);
    }
  }

  /** Number of registered secrets. */
  get size(): number {
    return this.#secrets.length;
  }

  /** Replaces every registered secret in `text`, also in its JSON-escaped and URL-encoded forms. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      for (const form of secretForms(secret)) {
        if (out.includes(form)) out = out.split(form).join(REDACTED);
      }
    }
    return out;
  }

  /** Deep-copies a value for logging, masking secret-named keys and registered secrets. */
  redactValue(value: unknown): unknown {
    return this.#redactValue(value, new WeakSet(), 0);
  }

  #redactValue(value: unknown, seen: WeakSet<object>, depth: number): unknown {
    if (typeof value === "string") return this.redact(value);
    if (value === null || typeof value !== "object") {
      if (typeof value === "bigint") return value.toString();
      if (typeof value === "function" || typeof value === "symbol") return String(value);
      return value;
    }
    if (seen.has(value)) return "[Circular]";
    if (depth > 8) return "[Truncated]";
    seen.add(value);
    if (value instanceof Error) return this.#redactValue(describeError(value), seen, depth + 1);
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map((item) => this.#redactValue(item, seen, depth + 1));
    if (value instanceof Map) {
      return this.#redactValue(Object.fromEntries(value), seen, depth + 1);
    }
    if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SECRET_KEY_PATTERN.test(key) && item !== null && item !== undefined && item !== ""
        ? REDACTED
        : this.#redactValue(item, seen, depth + 1);
    }
    return out;
  }
}

/** A plain object describing an error and its cause chain, for logs. */
export function describeError(error: Error): Record<string, unknown> {
  const described: Record<string, unknown> = { name: error.name, message: error.message };
  for (const [key, item] of Object.entries(error)) {
    if (key !== "cause" && item !== undefined) described[key] = item;
  }
  if (error.cause !== undefined) {
    described.cause = error.cause instanceof Error ? describeError(error.cause) : error.cause;
  }
  return described;
}

function secretForms(secret: string): string[] {
  const forms = new Set([secret]);
  const escaped = JSON.stringify(secret).slice(1, -1);
  forms.add(escaped);
  forms.add(encodeURIComponent(secret));
  return [...forms];
}
