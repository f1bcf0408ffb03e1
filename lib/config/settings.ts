/**
 * The building blocks of the configuration schema. A setting is one zod schema
 * plus what the loader, the JSON-schema export and the docs need to know about
 * it (env var, kind, default, secrecy). Sections group settings under one YAML
 * key; the env var of `section.key` is `SECTION_KEY` unless a setting says
 * otherwise, as pycti and the connectors SDK name them.
 *
 * @module
 */

import { z } from "zod";

/** How a raw env or YAML value is coerced before validation (pycti's rules per kind). */
export type SettingKind =
  | "string"
  | "boolean"
  | "integer"
  | "list"
  | "enum"
  | "url"
  | "duration"
  | "boolean_or_path";

/**
 * The connector defaults a vendor supplies (used when a setting has
 * `vendorDefault`). Not the id: each deployment needs its own, or unrelated
 * deployments would share one queue.
 */
export type VendorDefaultKey = "name" | "scope" | "auto";

/** What the loader and the generators know about one setting. */
export interface SettingMeta {
  /** Explanation shown in docs and the JSON schema. */
  description: string;
  /** Env var name; default `SECTION_KEY` upper-cased. */
  env?: string;
  /** Other env vars read when the main one is unset, in order (deprecated names). */
  envFallbacks?: readonly string[];
  /** Never printed, logged or put in an error. */
  secret?: boolean;
  /** Must have a value (after defaults) when its section is in use. */
  required?: boolean;
  /** The default comes from the vendor a connector instance runs. */
  vendorDefault?: VendorDefaultKey;
  /** Listed in the OpenCTI-catalog style `connector_config_schema.json` (default true). */
  catalog?: boolean;
  /** A per-connector-instance key (may appear in each `connectors:` entry). */
  perInstance?: boolean;
  /** Accepted for compatibility with pycti, without effect here; the docs say so. */
  noEffect?: boolean;
  /** Deprecated name of another key of the same section, used only when that key is unset. */
  deprecatedAliasOf?: string;
}

/** One configuration key: its zod schema (the single source of truth), kind, default and metadata. */
export interface Setting<T = unknown> {
  /** Validates the coerced value. Carries description/default metadata for JSON-schema export. */
  readonly schema: z.ZodType<T>;
  /** How raw values are coerced. */
  readonly kind: SettingKind;
  /** Static default, when there is one. */
  readonly default: T | undefined;
  /** Allowed values, for enums. */
  readonly values?: readonly string[];
  /** Everything else. */
  readonly meta: SettingMeta;
}

/** A YAML section (`opencti`, `connector`, `silentpush`, …) and its settings. */
export interface ConfigSection<S extends Record<string, Setting> = Record<string, Setting>> {
  /** The YAML key, e.g. `proofpoint_et_intelligence`. */
  readonly name: string;
  /** One sentence for docs. */
  readonly description: string;
  /** The settings, in documentation order. */
  readonly settings: S;
}

/** The value type a section's settings produce. */
export type SectionValues<S extends Record<string, Setting>> = {
  [K in keyof S]: S[K] extends Setting<infer T> ? T : never;
};

/** Declares a section; the env var of each setting is derived from the section name. */
export function defineSection<S extends Record<string, Setting>>(
  name: string,
  description: string,
  settings: S,
): ConfigSection<S> {
  return { name, description, settings };
}

/** The env var of `section.key` as pycti builds it: `SECTION_KEY`, upper-cased. */
export function envName(section: string, key: string, setting: Setting): string {
  return setting.meta.env ?? `${section}_${key}`.toUpperCase();
}

function describe<T>(schema: z.ZodType<T>, meta: SettingMeta, defaultValue: T | undefined) {
  const extra: Record<string, unknown> = { description: meta.description };
  if (defaultValue !== undefined) extra.default = defaultValue;
  if (meta.secret) {
    extra.format = "password";
    extra.writeOnly = true;
  }
  return schema.meta(extra);
}

function build<T>(
  kind: SettingKind,
  schema: z.ZodType<T>,
  meta: SettingMeta,
  defaultValue: T | undefined,
  values?: readonly string[],
): Setting<T> {
  const base = { schema: describe(schema, meta, defaultValue), kind, default: defaultValue, meta };
  return values ? { ...base, values } : base;
}

/** A free string. */
export function stringSetting(meta: SettingMeta, defaultValue?: string): Setting<string> {
  return build("string", z.string().min(1, "must not be empty"), meta, defaultValue);
}

/** A boolean: `true`/`false` in YAML, or pycti's strings `yes`/`true`/`True`/`no`/`false`/`False`. */
export function booleanSetting(meta: SettingMeta, defaultValue?: boolean): Setting<boolean> {
  return build("boolean", z.boolean(), meta, defaultValue);
}

/** An integer (pycti's `isNumber`), optionally bounded. */
export function integerSetting(
  meta: SettingMeta,
  defaultValue: number | undefined,
  bounds: { min?: number; max?: number } = {},
): Setting<number> {
  let schema = z.number().int("must be an integer");
  if (bounds.min !== undefined) schema = schema.min(bounds.min, `must be at least ${bounds.min}`);
  if (bounds.max !== undefined) schema = schema.max(bounds.max, `must be at most ${bounds.max}`);
  return build("integer", schema, meta, defaultValue);
}

/**
 * A comma-separated list (or a YAML list); items are trimmed and empty items
 * dropped. With `values`, each item must be one of them (matched
 * case-insensitively, normalised to the listed spelling, repeats dropped).
 */
export function listSetting(
  meta: SettingMeta,
  defaultValue?: string[],
  values?: readonly string[],
): Setting<string[]> {
  const item = values ? z.enum(values as [string, ...string[]]) : z.string().min(1);
  const schema = z.array(item).min(1, "must list at least one value");
  return build("list", schema, meta, defaultValue, values);
}

/** One of fixed values, matched case-insensitively and normalised to the listed spelling. */
export function enumSetting<const V extends readonly [string, ...string[]]>(
  values: V,
  meta: SettingMeta,
  defaultValue?: V[number],
): Setting<V[number]> {
  return build("enum", z.enum(values), meta, defaultValue, values);
}

/** An http(s) URL. */
export function urlSetting(meta: SettingMeta, defaultValue?: string): Setting<string> {
  const schema = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2083);
  return build("url", schema, meta, defaultValue);
}

/** An ISO-8601 duration (`P30D`, `PT12H`, `P1W`); a YAML integer means seconds. Stored as the text. */
export function durationSetting(meta: SettingMeta, defaultValue?: string): Setting<string> {
  const schema = z.string().refine((text) => parseIsoDuration(text) !== undefined, {
    error: "must be an ISO-8601 duration such as P30D or PT12H",
  });
  return build("duration", schema, meta, defaultValue);
}

/** `true`/`false`, or a path to a CA bundle (pycti's `ssl_verify`). */
export function booleanOrPathSetting(
  meta: SettingMeta,
  defaultValue?: boolean,
): Setting<boolean | string> {
  return build("boolean_or_path", z.union([z.boolean(), z.string().min(1)]), meta, defaultValue);
}

const DURATION_PATTERN =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

const DAY_MS = 86_400_000;

/**
 * Parses an ISO-8601 duration into milliseconds the way pydantic does for
 * `timedelta` (a month is 30 days, a year 365). Negative or empty durations
 * are refused: a time window cannot be negative.
 */
export function parseIsoDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim().toUpperCase());
  if (!match || text.trim().toUpperCase() === "P" || text.trim().toUpperCase().endsWith("T")) {
    return undefined;
  }
  const [years, months, weeks, days, hours, minutes, seconds] = match.slice(1).map((part) =>
    part === undefined ? 0 : Number(part)
  ) as [number, number, number, number, number, number, number];
  return years * 365 * DAY_MS + months * 30 * DAY_MS + weeks * 7 * DAY_MS + days * DAY_MS +
    hours * 3_600_000 + minutes * 60_000 + seconds * 1000;
}
