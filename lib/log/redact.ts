/**
 * Secret redaction, written once for every output. Every secret the program
 * learns (OpenCTI token, vendor API keys, AMQP password, TLS passphrases,
 * cache credentials) is registered on one {@link SecretRedactor}; log lines,
 * work messages sent to OpenCTI, `check` and `enrich` output and error causes
 * all pass through it. Each secret is masked in every form it can take on the
 * way out: raw, JSON-escaped (also with `\/`), URL-encoded with upper- or
 * lower-case hex, form-encoded (`+` for a space) and base64 (standard and
 * URL-safe, at any alignment inside a longer base64 text, as in a Basic
 * authorization header).
 *
 * Redact first, truncate after: {@link SecretRedactor.excerpt} does both in
 * that order, so a cut never leaves the first characters of a secret behind.
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

/** Anything that can mask secrets in a text. */
export interface Redactor {
  /** Returns `text` with every registered secret masked, in every encoding. */
  redact(text: string): string;
}

/** Holds the secrets to mask and masks them in text and structured values. */
export class SecretRedactor implements Redactor {
  #secrets: string[] = [];
  /** Every form of every secret, longest first. */
  #forms: string[] = [];

  /** Registers secrets to mask; empty, short and repeated values are ignored. */
  add(...secrets: ReadonlyArray<string | undefined | null>): void {
    for (const secret of secrets) {
      if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) continue;
      if (this.#secrets.includes(secret)) continue;
      this.#secrets.push(secret);
      for (const form of secretForms(secret)) {
        if (!this.#forms.includes(form)) this.#forms.push(form);
      }
      // Longest first, so a secret containing another is masked whole.
      this.#forms.sort((a, b) => b.length - a.length);
    }
  }

  /** Number of registered secrets. */
  get size(): number {
    return this.#secrets.length;
  }

  /** Replaces every registered secret in `text`, in every form listed in the module docs. */
  redact(text: string): string {
    let out = text;
    for (const form of this.#forms) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
    return out;
  }

  /** Redacts, then folds white space and cuts to `maxLength` characters (with `…`). */
  excerpt(text: string, maxLength = 200): string {
    const flat = this.redact(text).replace(/\s+/g, " ").trim();
    return flat.length > maxLength ? `${flat.slice(0, maxLength)}…` : flat;
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

/** Shortest base64 fragment masked: shorter ones would hit ordinary text by chance. */
const MIN_BASE64_FRAGMENT = 8;

function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(json.replaceAll("/", "\\/"));
  const url = encodeURIComponent(secret);
  forms.add(url);
  forms.add(lowerHex(url));
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  forms.add(form);
  forms.add(lowerHex(form));
  for (const fragment of base64Fragments(secret)) forms.add(fragment);
  return [...forms].filter((item) => item.length > 0);
}

function lowerHex(encoded: string): string {
  return encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
}

/**
 * The base64 text of the secret at each of the three byte alignments it can
 * have inside a longer base64 text, keeping only the characters that depend
 * on the secret's bytes alone; in standard and URL-safe alphabets.
 */
function base64Fragments(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const fragments: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const encoded = toBase64(padded);
    const start = offset === 0 ? 0 : 4;
    const end = 4 * Math.floor(padded.length / 3);
    const fragment = encoded.slice(start, end);
    if (fragment.length >= MIN_BASE64_FRAGMENT) fragments.push(fragment);
    if (offset === 0) fragments.push(encoded, encoded.replace(/=+$/, ""));
  }
  return fragments.flatMap((item) => [item, item.replaceAll("+", "-").replaceAll("/", "_")])
    .filter((item) => item.length >= MIN_BASE64_FRAGMENT);
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
