/**
 * Resolving one section: each setting read from env or YAML, coerced,
 * defaulted and validated, every problem collected as an issue.
 *
 * @module
 */

import type { ConfigIssue } from "../errors/mod.ts";
import { coerceValue, issueAt, readRaw, validateValue } from "./resolve.ts";
import { type ConfigSection, envName, type Setting } from "./settings.ts";
import type { VendorConfigDescriptor } from "./types.ts";

/** Placeholder values the samples ship with; never a real secret. */
export const PLACEHOLDERS: ReadonlySet<string> = new Set(["ChangeMe", "changeme", "CHANGEME"]);

/** What every resolution step shares: the env, and where issues, warnings and secrets go. */
export interface ResolveContext {
  env: (name: string) => string | undefined;
  issues: ConfigIssue[];
  warnings: string[];
  secrets: Set<string>;
}

/** How one section is resolved. */
export interface SectionResolveOptions extends ResolveContext {
  /** Which keys to resolve; all when undefined. */
  only: ((key: string, setting: Setting) => boolean) | undefined;
  /** Defaults supplied by the instance's vendor. */
  vendor?: VendorConfigDescriptor;
  /** Ignore env vars (entries of a `connectors:` list). */
  yamlOnly?: boolean;
  /** Path prefix for issues, e.g. `connectors[1]`. */
  pathPrefix?: string;
}

/** Resolves the settings of `section`; invalid or missing ones become issues and are left out. */
export function resolveSection(
  section: ConfigSection,
  yamlSection: Record<string, unknown> | undefined,
  options: SectionResolveOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const aliases: Array<[string, Setting]> = [];
  for (const [key, setting] of Object.entries(section.settings)) {
    if (options.only && !options.only(key, setting)) continue;
    if (setting.meta.deprecatedAliasOf) {
      aliases.push([key, setting]);
      continue;
    }
    const value = resolveSetting(section, key, setting, yamlSection, options);
    if (value !== undefined) out[key] = value;
  }
  // A deprecated alias only fills in a key that is still unset (or at its default).
  for (const [key, setting] of aliases) {
    const target = setting.meta.deprecatedAliasOf as string;
    const targetSetting = section.settings[target];
    if (!targetSetting) continue;
    const targetRaw = readRaw(
      options.yamlOnly ? [] : envNamesOf(section, target, targetSetting),
      yamlSection,
      target,
      options.env,
    );
    const aliasValue = resolveSetting(section, key, setting, yamlSection, options);
    if (targetRaw === undefined && aliasValue !== undefined) {
      out[target] = aliasValue;
      options.warnings.push(
        `${envName(section.name, key, setting)} (${section.name}.${key}) is deprecated; use ${
          envName(section.name, target, targetSetting)
        } (${section.name}.${target}) instead`,
      );
    }
  }
  return out;
}

/** The section's mapping in the YAML document, or undefined; anything else is an issue. */
export function sectionOf(
  yaml: Record<string, unknown>,
  name: string,
  issues: ConfigIssue[],
): Record<string, unknown> | undefined {
  const section = yaml[name];
  if (section === undefined || section === null) return undefined;
  if (typeof section !== "object" || Array.isArray(section)) {
    issues.push({ path: name, message: "must be a mapping of keys to values" });
    return undefined;
  }
  return section as Record<string, unknown>;
}

/** Warns about keys of known sections that no setting reads. */
export function warnUnknownKeys(
  yaml: Record<string, unknown>,
  sections: readonly ConfigSection[],
  warnings: string[],
): void {
  for (const section of sections) {
    const values = yaml[section.name];
    if (!values || typeof values !== "object" || Array.isArray(values)) continue;
    for (const key of Object.keys(values)) {
      if (!Object.hasOwn(section.settings, key)) {
        warnings.push(`${section.name}.${key} is not a known setting and is ignored`);
      }
    }
  }
}

function envNamesOf(section: ConfigSection, key: string, setting: Setting): string[] {
  return [envName(section.name, key, setting), ...(setting.meta.envFallbacks ?? [])];
}

function resolveSetting(
  section: ConfigSection,
  key: string,
  setting: Setting,
  yamlSection: Record<string, unknown> | undefined,
  options: SectionResolveOptions,
): unknown {
  const env = envName(section.name, key, setting);
  const path = `${options.pathPrefix ?? section.name}.${key}`;
  const issueEnv = options.yamlOnly ? undefined : env;
  const raw = readRaw(
    options.yamlOnly ? [] : envNamesOf(section, key, setting),
    yamlSection,
    key,
    options.env,
  );
  if (raw?.source === "env" && raw.env !== env) {
    options.warnings.push(`${raw.env} is deprecated; use ${env} instead`);
  }
  const coerced = coerceValue(setting, raw?.value);
  let value: unknown;
  if (coerced.kind === "invalid") {
    options.issues.push(issueAt(path, issueEnv, coerced.message));
    return undefined;
  }
  if (coerced.kind === "value") value = coerced.value;
  if (typeof value === "string" && PLACEHOLDERS.has(value)) {
    options.issues.push(
      issueAt(path, issueEnv, `is required; "${value}" is the sample placeholder, not a value`),
    );
    return undefined;
  }
  if (value === undefined) {
    value = setting.default;
    const vendorKey = setting.meta.vendorDefault;
    if (value === undefined && vendorKey && options.vendor) {
      value = options.vendor.defaults[vendorKey];
    }
  }
  if (value === undefined) {
    if (setting.meta.required) {
      options.issues.push(issueAt(path, issueEnv, requiredMessage(section, key)));
    }
    return undefined;
  }
  const checked = validateValue(setting, value);
  if (!checked.ok) {
    options.issues.push(issueAt(path, issueEnv, checked.message));
    return undefined;
  }
  if (setting.meta.secret && typeof checked.value === "string") options.secrets.add(checked.value);
  return checked.value;
}

function requiredMessage(section: ConfigSection, key: string): string {
  if (section.name === "connector" && key === "id") {
    return "is required: set it to a UUIDv4 of your own (e.g. from uuidgen) and keep it across restarts; it names the connector's queues, so two deployments with one id would share a queue";
  }
  return "is required";
}
