/**
 * Configuration: `config.yml` + environment with pycti's precedence and
 * coercions, validated by one zod schema that also produces the JSON schemas
 * and docs in `__metadata__/`. {@link loadConfig} is the one place that
 * validates configuration: what it returns is fully resolved and typed, and
 * every problem it finds is a `ConfigError` (exit code 2).
 *
 * @module
 */

import { buildConfig } from "./load.ts";
import { readConfigSource } from "./source.ts";
import type { AppConfig, VendorConfigDescriptor } from "./types.ts";

export {
  buildConfig,
  type BuildConfigOptions,
  buildVendorSettings,
  vendorSettingsOf,
} from "./load.ts";
export {
  chooseVendor,
  findVendor,
  type VendorChoice,
  type VendorChoiceSource,
} from "./vendor_choice.ts";
export { parseRedisUrl, type RedisTarget } from "./_cache_url.ts";
export { checkScope, OPENCTI_ENTITY_TYPES, type ScopeCheck } from "./scope.ts";
export {
  CONNECTOR_SECTION,
  CORE_SECTIONS,
  DEFAULT_ENRICHMENT_LIMITS,
  MQ_SECTION,
  OPENCTI_SECTION,
  TLP_LEVELS,
} from "./core_sections.ts";
export {
  booleanOrPathSetting,
  booleanSetting,
  type ConfigSection,
  defineSection,
  durationSetting,
  enumSetting,
  envName,
  integerSetting,
  listSetting,
  parseIsoDuration,
  type SectionValues,
  type Setting,
  type SettingKind,
  type SettingMeta,
  stringSetting,
  urlSetting,
} from "./settings.ts";
export {
  type ConfigSource,
  defaultConfigPaths,
  parseConfigYaml,
  readConfigSource,
} from "./source.ts";
export { catalogJsonSchema, configFileJsonSchema, type JsonSchema } from "./json_schema.ts";
export { connectorConfigDoc, settingsTableMarkdown } from "./docs.ts";
export type {
  AppConfig,
  ConnectorInstanceConfig,
  EnrichmentLimits,
  MqOverrides,
  OpenCtiConfig,
  OpenCtiTls,
  RuntimeConfig,
  VendorConfigDescriptor,
  VendorSettingsOf,
} from "./types.ts";

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** `--config PATH`; when absent the default locations are tried. */
  configPath?: string;
  /** Reads an env var; default `Deno.env.get`. */
  env?: (name: string) => string | undefined;
  /** The vendor modules known to this build. */
  vendors: readonly VendorConfigDescriptor[];
  /** Reads the TLS files the configuration names; default `Deno.readTextFile`. */
  readFile?: (path: string) => Promise<string>;
}

/** Reads the YAML file (if any), the environment and the files they name into a validated {@link AppConfig}. */
export async function loadConfig(options: LoadConfigOptions): Promise<AppConfig> {
  const source = await readConfigSource(options.configPath);
  return await buildConfig({
    yaml: source.yaml,
    env: options.env ?? ((name) => Deno.env.get(name)),
    vendors: options.vendors,
    ...(source.path === undefined ? {} : { sourcePath: source.path }),
    ...(options.readFile === undefined ? {} : { readFile: options.readFile }),
  });
}

/** Where a loaded configuration came from, in words: `config file "…" and environment`, or `environment only, no config file`. */
export function describeConfigSource(config: Pick<AppConfig, "sourcePath">): string {
  return config.sourcePath === undefined
    ? "environment only, no config file"
    : `config file "${config.sourcePath}" and environment`;
}
