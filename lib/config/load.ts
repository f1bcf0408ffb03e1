/**
 * Builds the whole configuration from a parsed YAML document and the
 * environment, collecting every problem before failing so an operator fixes
 * them all in one go. The result is final: URLs normalised, headers parsed,
 * TLS files read, scopes checked against the vendors, max TLPs parsed.
 *
 * @module
 */

import { ConfigError, type ConfigIssue } from "../errors/mod.ts";
import { CONNECTOR_SECTION, MQ_SECTION, OPENCTI_SECTION } from "./core_sections.ts";
import { parseRedisUrl } from "./_cache_url.ts";
import type { ReadTextFile } from "./_files.ts";
import { finishInstance, resolveInstances } from "./_instances.ts";
import { mqOverrides, openCtiConfig } from "./_opencti.ts";
import { type ResolveContext, resolveSection, sectionOf, warnUnknownKeys } from "./_section.ts";
import type { SectionValues, Setting } from "./settings.ts";
import type {
  AppConfig,
  ConnectorInstanceConfig,
  RuntimeConfig,
  VendorConfigDescriptor,
  VendorSettingsOf,
} from "./types.ts";

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
  /** Reads the TLS files the configuration names; default `Deno.readTextFile`. */
  readFile?: ReadTextFile;
}

type ConnectorValues = SectionValues<typeof CONNECTOR_SECTION.settings>;

/** Resolves, coerces, validates and reads everything; throws one {@link ConfigError} listing every issue. */
export async function buildConfig(options: BuildConfigOptions): Promise<AppConfig> {
  const { yaml, env, vendors } = options;
  const readFile = options.readFile ?? ((path: string) => Deno.readTextFile(path));
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const secrets = new Set<string>();
  const context: ResolveContext = { env, issues, warnings, secrets };
  const all = { ...context, only: undefined };

  warnUnknownKeys(yaml, [
    OPENCTI_SECTION,
    CONNECTOR_SECTION,
    MQ_SECTION,
    ...vendors.map((vendor) => vendor.section),
  ], warnings);

  const octi = resolveSection(OPENCTI_SECTION, sectionOf(yaml, OPENCTI_SECTION.name, issues), all);
  const connectorYaml = sectionOf(yaml, CONNECTOR_SECTION.name, issues);
  const runtime = resolveSection(CONNECTOR_SECTION, connectorYaml, {
    ...context,
    only: (_key, setting) => !setting.meta.perInstance,
  });
  const mq = resolveSection(MQ_SECTION, sectionOf(yaml, MQ_SECTION.name, issues), all);
  if (typeof runtime.cache_url === "string") {
    const parsed = parseRedisUrl(runtime.cache_url);
    if ("problem" in parsed) {
      issues.push({
        path: "connector.cache_url",
        env: "CONNECTOR_CACHE_URL",
        message: parsed.problem,
      });
    }
  }

  // Vendors named by instances, even invalid ones, so their problems are listed too.
  const vendorsInUse = new Set<VendorConfigDescriptor>();
  const pending = resolveInstances({ yaml, connectorYaml, vendors, vendorsInUse }, context);
  const vendorSettings: Record<string, Record<string, unknown>> = {};
  for (const vendor of vendors) {
    if (!vendorsInUse.has(vendor)) continue;
    vendorSettings[vendor.name] = resolveSection(
      vendor.section,
      sectionOf(yaml, vendor.section.name, issues),
      all,
    );
  }
  // Values that failed above are missing; the steps below check the ones that are present.
  const opencti = await openCtiConfig(
    octi as Partial<SectionValues<typeof OPENCTI_SECTION.settings>>,
    issues,
    readFile,
  );
  const mqResolved = await mqOverrides(mq, { issues, secrets, readFile });
  const instances: ConnectorInstanceConfig[] = [];
  if (issues.length === 0) {
    for (const item of pending) {
      const done = finishInstance(item, vendorSettings[item.vendor.name] ?? {}, context);
      if (done) instances.push(done);
    }
  }

  if (issues.length > 0 || opencti === undefined) {
    const where = options.sourcePath
      ? ` (config file "${options.sourcePath}" and environment)`
      : " (environment only, no config file)";
    throw new ConfigError(issues, { summary: `Invalid configuration${where}` });
  }
  const config: AppConfig = {
    opencti,
    runtime: runtimeConfig(runtime as ConnectorValues),
    mq: mqResolved,
    instances,
    vendorSettings,
    secrets: [...secrets],
    warnings,
  };
  if (options.sourcePath !== undefined) config.sourcePath = options.sourcePath;
  return config;
}

/** The validated values of `vendor`'s section, typed by its settings. */
export function vendorSettingsOf<V extends VendorConfigDescriptor<Record<string, Setting>>>(
  config: AppConfig,
  vendor: V,
): VendorSettingsOf<V> {
  const values = config.vendorSettings[vendor.name];
  if (values === undefined) {
    throw new RangeError(`No connector instance of this configuration runs "${vendor.name}"`);
  }
  // The loader validated these values against this very section's settings.
  return values as VendorSettingsOf<V>;
}

/** Resolves only one vendor's section (for commands that talk to the vendor alone, like `enrich`). */
export function buildVendorSettings(
  vendor: VendorConfigDescriptor,
  options: Omit<BuildConfigOptions, "vendors" | "readFile">,
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

function runtimeConfig(values: ConnectorValues): RuntimeConfig {
  return {
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
  };
}
