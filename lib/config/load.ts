/**
 * Builds the whole configuration from a parsed YAML document and the
 * environment, collecting every problem before failing so an operator fixes
 * them all in one go.
 *
 * One process may run several connector instances: either the classic single
 * connector (`connector.*` + `CONNECTOR_*`), or a `connectors:` list in YAML
 * where each entry has its own id, name, scope and vendor.
 *
 * @module
 */

import { ConfigError, type ConfigIssue } from "../errors/mod.ts";
import { CONNECTOR_SECTION, MQ_SECTION, OPENCTI_SECTION } from "./core_sections.ts";
import { coerceValue, issueAt, readRaw, validateValue } from "./resolve.ts";
import { type ConfigSection, envName, type SectionValues, type Setting } from "./settings.ts";
import type { AppConfig, ConnectorInstanceConfig, VendorConfigDescriptor } from "./types.ts";

/** Inputs of {@link buildConfig}. */
export interface BuildConfigOptions {
  /** The parsed YAML document (`{}` when there is no file). */
  yaml: Record<string, unknown>;
  /** Reads one env var; `undefined` when unset. */
  env: (name: string) => string | undefined;
  /** The vendor modules this build knows. */
  vendors: readonly VendorConfigDescriptor[];
  /** The YAML file the document came from, for messages. */
  sourcePath?: string;
}

/** Placeholder values the samples ship with; never a real secret. */
const PLACEHOLDERS = new Set(["ChangeMe", "changeme", "CHANGEME"]);

/** Resolves, coerces and validates everything; throws one {@link ConfigError} listing every issue. */
export function buildConfig(options: BuildConfigOptions): AppConfig {
  const { yaml, env, vendors } = options;
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const secrets = new Set<string>();
  const context: ResolveContext = { env, issues, warnings, secrets };

  warnUnknownKeys(yaml, [OPENCTI_SECTION, CONNECTOR_SECTION, MQ_SECTION], vendors, warnings);

  const opencti = resolveSection(OPENCTI_SECTION, sectionOf(yaml, OPENCTI_SECTION.name, issues), {
    ...context,
    only: undefined,
  });
  const connectorYaml = sectionOf(yaml, CONNECTOR_SECTION.name, issues);
  const runtime = resolveSection(CONNECTOR_SECTION, connectorYaml, {
    ...context,
    only: (_key, setting) => !setting.meta.perInstance,
  });
  const mq = resolveSection(MQ_SECTION, sectionOf(yaml, MQ_SECTION.name, issues), {
    ...context,
    only: undefined,
  });

  // Vendors named by instances, even invalid ones, so their problems are listed too.
  const vendorsInUse = new Set<VendorConfigDescriptor>();
  const instances = resolveInstances(yaml, connectorYaml, context, vendors, vendorsInUse);
  const vendorSettings: Record<string, Record<string, unknown>> = {};
  for (const vendor of vendors) {
    if (!vendorsInUse.has(vendor)) continue;
    vendorSettings[vendor.name] = resolveSection(
      vendor.section,
      sectionOf(yaml, vendor.section.name, issues),
      { ...context, only: undefined },
    );
  }

  if (issues.length > 0) {
    const where = options.sourcePath
      ? ` (config file "${options.sourcePath}" and environment)`
      : "";
    throw new ConfigError(issues, { summary: `Invalid configuration${where}` });
  }

  const values = runtime as SectionValues<typeof CONNECTOR_SECTION.settings>;
  const octi = opencti as SectionValues<typeof OPENCTI_SECTION.settings>;
  const config: AppConfig = {
    opencti: {
      url: octi.url.replace(/\/+$/, ""),
      token: octi.token,
      sslVerify: octi.ssl_verify,
      jsonLogging: octi.json_logging,
      timeoutMs: octi.timeout * 1000,
      maxRetries: octi.max_retries,
      ...(octi.custom_headers === undefined ? {} : { customHeaders: octi.custom_headers }),
    },
    runtime: {
      logLevel: values.log_level === "warn" ? "warning" : values.log_level,
      concurrency: values.concurrency,
      shutdownTimeoutMs: values.shutdown_timeout * 1000,
      tlpRefusal: values.tlp_refusal,
      sendToQueue: values.send_to_queue,
      queueThreshold: values.queue_threshold,
      metrics: {
        enabled: values.expose_metrics,
        host: values.metrics_host,
        port: values.metrics_port,
        namespace: values.metrics_namespace ?? "",
        subsystem: values.metrics_subsystem ?? "",
      },
      maxRequeues: values.max_requeues,
      deliveryTimeoutMs: values.delivery_timeout * 1000,
      limits: {
        maxObjects: values.max_objects,
        maxRelated: values.max_related,
        maxLabels: values.max_labels,
        maxLabelLength: values.max_label_length,
        maxValueLength: values.max_value_length,
        maxIncomingObjects: values.max_incoming_objects,
      },
      cache: {
        ...(values.cache_url === undefined ? {} : { url: values.cache_url }),
        maxEntries: values.cache_max_entries,
        maxBytes: values.cache_max_mb * 1024 * 1024,
      },
    },
    mq: mq as AppConfig["mq"],
    instances,
    vendorSettings,
    secrets: [...secrets],
    warnings,
  };
  if (options.sourcePath !== undefined) config.sourcePath = options.sourcePath;
  return config;
}

/** Resolves only one vendor's section (for commands that talk to the vendor alone, like `enrich`). */
export function buildVendorSettings(
  vendor: VendorConfigDescriptor,
  options: Omit<BuildConfigOptions, "vendors">,
): { settings: Record<string, unknown>; secrets: string[]; warnings: string[] } {
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const secrets = new Set<string>();
  const settings = resolveSection(
    vendor.section,
    sectionOf(options.yaml, vendor.section.name, issues),
    { env: options.env, issues, warnings, secrets, only: undefined },
  );
  if (issues.length > 0) {
    throw new ConfigError(issues, { summary: `Invalid ${vendor.title} configuration` });
  }
  return { settings, secrets: [...secrets], warnings };
}

interface ResolveContext {
  env: (name: string) => string | undefined;
  issues: ConfigIssue[];
  warnings: string[];
  secrets: Set<string>;
}

interface SectionResolveOptions extends ResolveContext {
  /** Which keys to resolve; all when undefined. */
  only: ((key: string, setting: Setting) => boolean) | undefined;
  /** Defaults supplied by the instance's vendor. */
  vendor?: VendorConfigDescriptor;
  /** Ignore env vars (entries of a `connectors:` list). */
  yamlOnly?: boolean;
  /** Path prefix for issues, e.g. `connectors[1]`. */
  pathPrefix?: string;
}

function resolveSection(
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
    if (setting.meta.required) options.issues.push(issueAt(path, issueEnv, "is required"));
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

function sectionOf(
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

function resolveInstances(
  yaml: Record<string, unknown>,
  connectorYaml: Record<string, unknown> | undefined,
  context: ResolveContext,
  vendors: readonly VendorConfigDescriptor[],
  vendorsInUse: Set<VendorConfigDescriptor>,
): ConnectorInstanceConfig[] {
  const list = yaml.connectors;
  if (list === undefined || list === null) {
    const instance = resolveInstance(connectorYaml, context, vendors, {
      yamlOnly: false,
      pathPrefix: CONNECTOR_SECTION.name,
      yaml,
      vendorsInUse,
    });
    return instance ? [instance] : [];
  }
  if (!Array.isArray(list) || list.length === 0) {
    context.issues.push({
      path: "connectors",
      message: "must be a non-empty list of connector entries (id, name, scope, vendor, …)",
    });
    return [];
  }
  for (const [key, setting] of Object.entries(CONNECTOR_SECTION.settings)) {
    if (!setting.meta.perInstance) continue;
    const env = envName(CONNECTOR_SECTION.name, key, setting);
    if (context.env(env) !== undefined) {
      context.issues.push({
        path: `connector.${key}`,
        env,
        message:
          "is set in the environment but the config file defines a connectors: list; set it in each list entry instead",
      });
    }
  }
  for (const key of Object.keys(connectorYaml ?? {})) {
    if (
      CONNECTOR_SECTION.settings[key as keyof typeof CONNECTOR_SECTION.settings]?.meta.perInstance
    ) {
      context.warnings.push(
        `connector.${key} is ignored because the config file defines a connectors: list`,
      );
    }
  }
  const instances: ConnectorInstanceConfig[] = [];
  list.forEach((entry, index) => {
    const pathPrefix = `connectors[${index}]`;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      context.issues.push({
        path: pathPrefix,
        message: "must be a mapping (id, name, scope, vendor, …)",
      });
      return;
    }
    const instance = resolveInstance(entry as Record<string, unknown>, context, vendors, {
      yamlOnly: true,
      pathPrefix,
      yaml,
      vendorsInUse,
    });
    if (instance) instances.push(instance);
  });
  const seen = new Map<string, number>();
  instances.forEach((instance, index) => {
    const previous = seen.get(instance.id);
    if (previous !== undefined) {
      context.issues.push({
        path: `connectors[${index}].id`,
        message:
          `duplicates the id of connectors[${previous}] ("${instance.id}"); each connector needs its own id`,
      });
    }
    seen.set(instance.id, index);
  });
  return instances;
}

function resolveInstance(
  entry: Record<string, unknown> | undefined,
  context: ResolveContext,
  vendors: readonly VendorConfigDescriptor[],
  where: {
    yamlOnly: boolean;
    pathPrefix: string;
    yaml: Record<string, unknown>;
    vendorsInUse: Set<VendorConfigDescriptor>;
  },
): ConnectorInstanceConfig | undefined {
  const vendor = chooseVendor(entry, context, vendors, where);
  if (vendor) where.vendorsInUse.add(vendor);
  const issuesBefore = context.issues.length;
  const values = resolveSection(CONNECTOR_SECTION, entry, {
    ...context,
    only: (key, setting) => Boolean(setting.meta.perInstance) && key !== "vendor",
    yamlOnly: where.yamlOnly,
    pathPrefix: where.pathPrefix,
    ...(vendor ? { vendor } : {}),
  }) as Partial<SectionValues<typeof CONNECTOR_SECTION.settings>>;
  if (!vendor || context.issues.length > issuesBefore) return undefined;
  if (where.yamlOnly && entry) {
    const known = new Set(
      Object.entries(CONNECTOR_SECTION.settings).filter(([, s]) => s.meta.perInstance).map(([k]) =>
        k
      ),
    );
    for (const key of Object.keys(entry)) {
      if (!known.has(key)) {
        context.warnings.push(
          `${where.pathPrefix}.${key} is not a per-connector key and is ignored`,
        );
      }
    }
  }
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
  if (typeof values.id === "string" && !UUID.test(values.id)) {
    context.warnings.push(
      `${where.pathPrefix}.id "${values.id}" is not a UUID; OpenCTI connector ids are conventionally UUIDv4`,
    );
  }
  return {
    id: values.id as string,
    name: values.name as string,
    type: "INTERNAL_ENRICHMENT",
    scope: values.scope as string[],
    auto: values.auto as boolean,
    autoUpdate: values.auto_update ?? false,
    enrichmentResolution: values.enrichment_resolution ?? "none",
    onlyContextual: values.only_contextual ?? false,
    playbookCompatible: values.playbook_compatible ?? true,
    vendor: vendor.name,
  };
}

/** Finds a vendor by registry name or alias, case-insensitively. */
export function findVendor(
  vendors: readonly VendorConfigDescriptor[],
  name: string,
): VendorConfigDescriptor | undefined {
  const wanted = name.trim().toLowerCase();
  return vendors.find((vendor) =>
    vendor.name === wanted || vendor.aliases.some((alias) => alias.toLowerCase() === wanted)
  );
}

function chooseVendor(
  entry: Record<string, unknown> | undefined,
  context: ResolveContext,
  vendors: readonly VendorConfigDescriptor[],
  where: { yamlOnly: boolean; pathPrefix: string; yaml: Record<string, unknown> },
): VendorConfigDescriptor | undefined {
  const setting = CONNECTOR_SECTION.settings.vendor;
  const env = envName(CONNECTOR_SECTION.name, "vendor", setting);
  const path = `${where.pathPrefix}.vendor`;
  const issueEnv = where.yamlOnly ? undefined : env;
  const raw = readRaw(where.yamlOnly ? [] : [env], entry, "vendor", context.env);
  const coerced = coerceValue(setting, raw?.value);
  const known = vendors.map((vendor) => `"${vendor.name}"`).join(", ");
  if (coerced.kind === "invalid") {
    context.issues.push(issueAt(path, issueEnv, coerced.message));
    return undefined;
  }
  if (coerced.kind === "value") {
    const vendor = findVendor(vendors, String(coerced.value));
    if (!vendor) {
      context.issues.push(
        issueAt(path, issueEnv, `unknown vendor "${coerced.value}"; known vendors: ${known}`),
      );
    }
    return vendor;
  }
  const keyed = vendors.filter((vendor) => hasApiKey(vendor, where.yaml, context.env));
  if (keyed.length === 1) return keyed[0];
  const why = keyed.length === 0
    ? "no vendor section has an API key"
    : `several vendor sections have an API key (${keyed.map((v) => v.name).join(", ")})`;
  context.issues.push(
    issueAt(path, issueEnv, `is required: ${why}; set it to one of ${known}`),
  );
  return undefined;
}

function hasApiKey(
  vendor: VendorConfigDescriptor,
  yaml: Record<string, unknown>,
  env: (name: string) => string | undefined,
): boolean {
  const setting = vendor.section.settings[vendor.apiKeySetting];
  if (!setting) return false;
  const section = yaml[vendor.section.name];
  const raw = readRaw(
    [envName(vendor.section.name, vendor.apiKeySetting, setting)],
    section && typeof section === "object" ? section as Record<string, unknown> : undefined,
    vendor.apiKeySetting,
    env,
  );
  return typeof raw?.value === "string" && raw.value.trim() !== "" && !PLACEHOLDERS.has(raw.value);
}

function warnUnknownKeys(
  yaml: Record<string, unknown>,
  core: readonly ConfigSection[],
  vendors: readonly VendorConfigDescriptor[],
  warnings: string[],
): void {
  const sections = [...core, ...vendors.map((vendor) => vendor.section)];
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
