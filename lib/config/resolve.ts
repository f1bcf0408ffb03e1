/**
 * pycti's `get_config_variable`, per key: the env var wins when it is set
 * (even to the empty string), else the two-level YAML key, else the default;
 * then the value is coerced by kind with pycti's strings for booleans and
 * `int()` for numbers (OpenCTI-Platform/client-python,
 * `pycti/connector/opencti_connector_helper.py`, `get_config_variable`).
 *
 * @module
 */

import type { ConfigIssue } from "../errors/mod.ts";
import { parseIsoDuration, type Setting } from "./settings.ts";

/** Where a raw value came from. */
export type ValueSource = "env" | "yaml" | "default";

/** A raw value as found, before coercion. */
export interface RawValue {
  /** The env string or the YAML value. */
  value: unknown;
  /** Where it came from. */
  source: ValueSource;
  /** The env var that provided it, when `source` is env. */
  env?: string;
}

const TRUE_STRINGS = new Set(["yes", "true", "True"]);
const FALSE_STRINGS = new Set(["no", "false", "False"]);

/** The outcome of coercing one raw value. */
export type Coerced =
  | { kind: "value"; value: unknown }
  | { kind: "unset" }
  | { kind: "invalid"; message: string };

/**
 * Coerces a raw env/YAML value for a setting. An empty string means "unset"
 * (so the default applies), except for integers where pycti's `int("")` fails.
 */
export function coerceValue(setting: Setting, raw: unknown): Coerced {
  if (raw === null || raw === undefined) return { kind: "unset" };
  const shown = setting.meta.secret ? "" : `, got ${quote(raw)}`;
  switch (setting.kind) {
    case "boolean": {
      if (typeof raw === "boolean") return { kind: "value", value: raw };
      if (raw === "") return { kind: "unset" };
      if (typeof raw === "string" && TRUE_STRINGS.has(raw)) return { kind: "value", value: true };
      if (typeof raw === "string" && FALSE_STRINGS.has(raw)) return { kind: "value", value: false };
      return {
        kind: "invalid",
        message: `must be a boolean (true, false, yes, no, True, False)${shown}`,
      };
    }
    case "boolean_or_path": {
      if (typeof raw === "boolean") return { kind: "value", value: raw };
      if (raw === "") return { kind: "unset" };
      if (typeof raw === "string" && TRUE_STRINGS.has(raw)) return { kind: "value", value: true };
      if (typeof raw === "string" && FALSE_STRINGS.has(raw)) return { kind: "value", value: false };
      if (typeof raw === "string") return { kind: "value", value: raw };
      return { kind: "invalid", message: `must be true, false or a file path${shown}` };
    }
    case "integer": {
      if (typeof raw === "number") {
        return Number.isInteger(raw)
          ? { kind: "value", value: raw }
          : { kind: "invalid", message: `must be an integer${shown}` };
      }
      if (typeof raw === "string" && /^\s*[+-]?\d+\s*$/.test(raw)) {
        return { kind: "value", value: Number.parseInt(raw, 10) };
      }
      if (raw === "") return { kind: "invalid", message: "must be an integer, got an empty value" };
      return { kind: "invalid", message: `must be an integer${shown}` };
    }
    case "list": {
      if (Array.isArray(raw)) {
        if (!raw.every((item) => typeof item === "string")) {
          return { kind: "invalid", message: `must be a list of strings${shown}` };
        }
        return listOf(
          setting,
          raw.map((item: string) => item.trim()).filter((item) => item !== ""),
        );
      }
      if (typeof raw !== "string") {
        return { kind: "invalid", message: `must be a comma-separated list${shown}` };
      }
      return listOf(
        setting,
        raw.split(",").map((item) => item.trim()).filter((item) => item !== ""),
      );
    }
    case "enum": {
      if (typeof raw !== "string") {
        return { kind: "invalid", message: `must be one of ${listValues(setting)}${shown}` };
      }
      if (raw.trim() === "") return { kind: "unset" };
      const wanted = raw.trim().toLowerCase();
      const match = setting.values?.find((value) => value.toLowerCase() === wanted);
      return match === undefined
        ? { kind: "invalid", message: `must be one of ${listValues(setting)}${shown}` }
        : { kind: "value", value: match };
    }
    case "duration": {
      // The connectors SDK (pydantic) reads a bare YAML number as seconds.
      if (typeof raw === "number" && Number.isFinite(raw) && raw >= 0) {
        return { kind: "value", value: `PT${raw}S` };
      }
      if (typeof raw !== "string") {
        return { kind: "invalid", message: `must be an ISO-8601 duration such as P30D${shown}` };
      }
      if (raw.trim() === "") return { kind: "unset" };
      return parseIsoDuration(raw) === undefined
        ? { kind: "invalid", message: `must be an ISO-8601 duration such as P30D or PT12H${shown}` }
        : { kind: "value", value: raw.trim().toUpperCase() };
    }
    case "string":
    case "url": {
      if (typeof raw !== "string") {
        return { kind: "invalid", message: `must be a string${shown}` };
      }
      // Only white space is no value at all (an unset CONNECTOR_ID in a compose file can be " ").
      return raw.trim() === "" ? { kind: "unset" } : { kind: "value", value: raw.trim() };
    }
  }
}

/** Reads the raw value of a key: env (set, even empty) beats YAML beats nothing. */
export function readRaw(
  envNames: readonly string[],
  yamlSection: Record<string, unknown> | undefined,
  key: string,
  env: (name: string) => string | undefined,
): RawValue | undefined {
  for (const name of envNames) {
    const value = env(name);
    if (value !== undefined) return { value, source: "env", env: name };
  }
  if (yamlSection && Object.hasOwn(yamlSection, key)) {
    return { value: yamlSection[key], source: "yaml" };
  }
  return undefined;
}

/** Validates a coerced value with the setting's zod schema; returns the issue text on failure. */
export function validateValue(
  setting: Setting,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const result = setting.schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const first = result.error.issues[0]?.message ?? "is invalid";
  const shown = setting.meta.secret ? "" : `, got ${quote(value)}`;
  return { ok: false, message: `${first}${shown}` };
}

/** Builds an issue for `path`, naming its env var. */
export function issueAt(path: string, env: string | undefined, message: string): ConfigIssue {
  return env === undefined ? { path, message } : { path, env, message };
}

/** A list's items, each normalised to the allowed spelling when the setting lists allowed values. */
function listOf(setting: Setting, items: string[]): Coerced {
  if (items.length === 0) return { kind: "unset" };
  if (!setting.values) return { kind: "value", value: items };
  const normalised: string[] = [];
  for (const item of items) {
    const match = setting.values.find((value) => value.toLowerCase() === item.toLowerCase());
    if (match === undefined) {
      return {
        kind: "invalid",
        message: `has the unknown item ${JSON.stringify(item)}; allowed: ${listValues(setting)}`,
      };
    }
    if (!normalised.includes(match)) normalised.push(match);
  }
  return { kind: "value", value: normalised };
}

function listValues(setting: Setting): string {
  return (setting.values ?? []).map((value) => `"${value}"`).join(", ");
}

function quote(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
