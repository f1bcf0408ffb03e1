/**
 * RFC 8785 JSON Canonicalization Scheme (JCS), the name format of every
 * deterministic STIX id (cti-python-stix2 `canonicalize`, npm `canonicalize`).
 *
 * @module
 */

import { StixError } from "./errors.ts";

/**
 * Serialises a JSON value per RFC 8785: object keys sorted by UTF-16 code
 * units, no whitespace, minimal string escaping (non-ASCII kept as is) and
 * numbers in ECMAScript shortest form. Like `JSON.stringify`, object members
 * whose value is `undefined` are left out and `toJSON()` is honoured.
 * Throws a {@link StixError} for NaN, Infinity, lone surrogates and values
 * JSON cannot hold.
 */
export function canonicalize(value: unknown): string {
  return serialize(value, "$");
}

function serialize(input: unknown, path: string): string {
  const value = withToJson(input);
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) {
        throw new StixError(
          `Cannot canonicalize ${String(value)} at "${path}": JSON has no such number`,
        );
      }
      // ECMAScript Number::toString is exactly RFC 8785's number form (and prints -0 as 0).
      return JSON.stringify(value);
    case "string":
      return serializeString(value, path);
    case "object":
      if (Array.isArray(value)) {
        return `[${value.map((item, index) => serialize(item, `${path}[${index}]`)).join(",")}]`;
      }
      return serializeObject(value as Record<string, unknown>, path);
    default:
      throw new StixError(`Cannot canonicalize a value of type "${typeof value}" at "${path}"`);
  }
}

function withToJson(value: unknown): unknown {
  if (typeof value === "object" && value !== null && "toJSON" in value) {
    const toJson = (value as { toJSON: unknown }).toJSON;
    if (typeof toJson === "function") return toJson.call(value);
  }
  return value;
}

function serializeObject(object: Record<string, unknown>, path: string): string {
  // The default sort compares UTF-16 code units, which is what RFC 8785 §3.2.3 asks for.
  const keys = Object.keys(object).filter((key) => object[key] !== undefined).sort();
  const members = keys.map((key) =>
    `${serializeString(key, `${path} key`)}:${serialize(object[key], `${path}.${key}`)}`
  );
  return `{${members.join(",")}}`;
}

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw new StixError(
      `Cannot canonicalize the string at "${path}": it holds a lone UTF-16 surrogate`,
    );
  }
  // For well-formed strings JSON.stringify escapes exactly ", \ and U+0000..U+001F
  // (\b \t \n \f \r or lower-case \u00xx), as RFC 8785 §3.2.2.2 requires.
  return JSON.stringify(value);
}

const LONE_SURROGATE = /\p{Surrogate}/u;
