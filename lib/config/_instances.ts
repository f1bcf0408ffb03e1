/**
 * The connector instances of one process: either the classic single connector
 * (`connector.*` + `CONNECTOR_*`), or a `connectors:` list in YAML where each
 * entry has its own id, name, scope and vendor. Each instance's vendor is
 * chosen (or inferred from the one vendor section with an API key), its scope
 * checked against what the vendor enriches and its max TLP read.
 *
 * @module
 */

import { CONNECTOR_SECTION, TLP_LEVELS } from "./core_sections.ts";
import { type ResolveContext, resolveSection } from "./_section.ts";
import { issueAt } from "./resolve.ts";
import { checkScope } from "./scope.ts";
import { chooseVendor } from "./vendor_choice.ts";
import { envName, type SectionValues } from "./settings.ts";
import type { TlpLevel } from "../stix/mod.ts";
import type { ConnectorInstanceConfig, VendorConfigDescriptor } from "./types.ts";

type InstanceValues = Partial<SectionValues<typeof CONNECTOR_SECTION.settings>>;

/** Where the instances are resolved from, and what they find out. */
export interface InstanceInputs {
  yaml: Record<string, unknown>;
  connectorYaml: Record<string, unknown> | undefined;
  vendors: readonly VendorConfigDescriptor[];
  /** Receives each vendor an instance names, even invalid instances, so its section is checked. */
  vendorsInUse: Set<VendorConfigDescriptor>;
}

/** A resolved instance still waiting for its vendor section (for the max TLP). */
export interface PendingInstance {
  instance: Omit<ConnectorInstanceConfig, "maxTlp">;
  vendor: VendorConfigDescriptor;
  path: string;
}

/** Resolves every instance; problems go to `context.issues`. */
export function resolveInstances(
  inputs: InstanceInputs,
  context: ResolveContext,
): PendingInstance[] {
  const { yaml, connectorYaml } = inputs;
  const list = yaml.connectors;
  if (list === undefined || list === null) {
    const instance = resolveInstance(connectorYaml, inputs, context, {
      yamlOnly: false,
      pathPrefix: CONNECTOR_SECTION.name,
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
  refuseInstanceEnv(connectorYaml, context);
  const instances: PendingInstance[] = [];
  list.forEach((entry, index) => {
    const pathPrefix = `connectors[${index}]`;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      context.issues.push({
        path: pathPrefix,
        message: "must be a mapping (id, name, scope, vendor, …)",
      });
      return;
    }
    const instance = resolveInstance(entry as Record<string, unknown>, inputs, context, {
      yamlOnly: true,
      pathPrefix,
    });
    if (instance) instances.push(instance);
  });
  const seen = new Map<string, number>();
  instances.forEach(({ instance }, index) => {
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

/** Completes an instance with the max TLP of its vendor's validated section. */
export function finishInstance(
  pending: PendingInstance,
  vendorValues: Record<string, unknown>,
  context: ResolveContext,
): ConnectorInstanceConfig | undefined {
  const key = pending.vendor.maxTlpSetting ?? "max_tlp";
  const maxTlp = TLP_LEVELS.find((level) => level === vendorValues[key]);
  if (maxTlp === undefined) {
    context.issues.push({
      path: `${pending.vendor.section.name}.${key}`,
      message: `must be one of ${TLP_LEVELS.join(", ")} (the connector's max TLP)`,
    });
    return undefined;
  }
  return { ...pending.instance, maxTlp: maxTlp as TlpLevel };
}

function refuseInstanceEnv(
  connectorYaml: Record<string, unknown> | undefined,
  context: ResolveContext,
): void {
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
    const setting = CONNECTOR_SECTION.settings[key as keyof typeof CONNECTOR_SECTION.settings];
    if (setting?.meta.perInstance) {
      context.warnings.push(
        `connector.${key} is ignored because the config file defines a connectors: list`,
      );
    }
  }
}

function resolveInstance(
  entry: Record<string, unknown> | undefined,
  inputs: InstanceInputs,
  context: ResolveContext,
  where: { yamlOnly: boolean; pathPrefix: string },
): PendingInstance | undefined {
  const choice = chooseVendor(inputs.vendors, {
    entry,
    yaml: inputs.yaml,
    env: context.env,
    yamlOnly: where.yamlOnly,
  });
  const vendor = choice.vendor;
  if (vendor) inputs.vendorsInUse.add(vendor);
  else {
    const env = where.yamlOnly ? undefined : "CONNECTOR_VENDOR";
    context.issues.push(issueAt(`${where.pathPrefix}.vendor`, env, choice.problem));
  }
  const issuesBefore = context.issues.length;
  const values = resolveSection(CONNECTOR_SECTION, entry, {
    ...context,
    only: (key, setting) => Boolean(setting.meta.perInstance) && key !== "vendor",
    yamlOnly: where.yamlOnly,
    pathPrefix: where.pathPrefix,
    ...(vendor ? { vendor } : {}),
  }) as InstanceValues;
  if (vendor && values.scope) {
    const checked = checkScope(values.scope, vendor);
    const env = where.yamlOnly ? undefined : "CONNECTOR_SCOPE";
    for (const problem of checked.problems) {
      context.issues.push(issueAt(`${where.pathPrefix}.scope`, env, problem));
    }
    values.scope = checked.scope;
  }
  if (!vendor || context.issues.length > issuesBefore) return undefined;
  if (where.yamlOnly && entry) warnUnknownEntryKeys(entry, where.pathPrefix, context);
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
  if (typeof values.id === "string" && !UUID.test(values.id)) {
    context.warnings.push(
      `${where.pathPrefix}.id "${values.id}" is not a UUID; OpenCTI connector ids are conventionally UUIDv4`,
    );
  }
  return {
    vendor,
    path: where.pathPrefix,
    instance: {
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
    },
  };
}

function warnUnknownEntryKeys(
  entry: Record<string, unknown>,
  pathPrefix: string,
  context: ResolveContext,
): void {
  const known = new Set(
    Object.entries(CONNECTOR_SECTION.settings).filter(([, s]) => s.meta.perInstance).map(([k]) =>
      k
    ),
  );
  for (const key of Object.keys(entry)) {
    if (!known.has(key)) {
      context.warnings.push(`${pathPrefix}.${key} is not a per-connector key and is ignored`);
    }
  }
}
