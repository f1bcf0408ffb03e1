/**
 * JSON-schema exports of the configuration, both derived from the settings'
 * zod schemas: the YAML-shaped schema of a whole `config.yml` (printed by the
 * `schema` command), and the env-keyed schema of one vendor connector in the
 * OpenCTI connectors-catalog format (`__metadata__/<slug>/connector_config_schema.json`).
 *
 * @module
 */

import { z } from "zod";
import { CONNECTOR_SECTION, CORE_SECTIONS, OPENCTI_SECTION } from "./core_sections.ts";
import { type ConfigSection, envName, type Setting } from "./settings.ts";
import type { VendorConfigDescriptor } from "./types.ts";

/** A JSON schema document. */
export type JsonSchema = Record<string, unknown>;

const JSON_SCHEMA_2020_12 = "https://json-schema.org/draft/2020-12/schema";

function sectionObject(section: ConfigSection, filter?: (setting: Setting) => boolean) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, setting] of Object.entries(section.settings)) {
    if (filter && !filter(setting)) continue;
    shape[key] = setting.meta.required ? setting.schema : setting.schema.optional();
  }
  return z.looseObject(shape).meta({ description: section.description });
}

/** The schema of a whole config.yml: core sections, every vendor section and the `connectors:` list. */
export function configFileJsonSchema(vendors: readonly VendorConfigDescriptor[]): JsonSchema {
  const shape: Record<string, z.ZodType> = {};
  for (const section of CORE_SECTIONS) {
    shape[section.name] = section === OPENCTI_SECTION
      ? sectionObject(section)
      : sectionObject(section).optional();
  }
  for (const vendor of vendors) {
    shape[vendor.section.name] = sectionObject(vendor.section).optional();
  }
  const entry = sectionObject(CONNECTOR_SECTION, (setting) => Boolean(setting.meta.perInstance))
    .meta({ description: "One connector instance run by this process." });
  shape.connectors = z.array(entry).min(1).optional().meta({
    description:
      "Several connector instances in one process, each with its own id, name, scope and vendor; replaces the per-connector keys of connector.*.",
  });
  const schema = z.toJSONSchema(z.looseObject(shape), {
    target: "draft-2020-12",
    unrepresentable: "any",
  }) as JsonSchema;
  return {
    $schema: JSON_SCHEMA_2020_12,
    $id: "https://github.com/opencti-enrich/connector/config.schema.json",
    title: "opencti-enrich config.yml",
    ...withoutKey(schema, "$schema"),
  };
}

/** The setting value a vendor connector uses by default (static default or the vendor's). */
export function effectiveDefault(setting: Setting, vendor?: VendorConfigDescriptor): unknown {
  if (setting.default !== undefined) return setting.default;
  const key = setting.meta.vendorDefault;
  return key && vendor ? vendor.defaults[key] : undefined;
}

/** One catalog property: the setting's JSON schema plus the catalog's conventions. */
export function catalogProperty(
  setting: Setting,
  vendor: VendorConfigDescriptor | undefined,
  override?: JsonSchema,
): JsonSchema {
  const json = withoutKey(z.toJSONSchema(setting.schema, { unrepresentable: "any" }), "$schema");
  const property: JsonSchema = { description: setting.meta.description, ...json };
  delete property.default;
  const fallback = effectiveDefault(setting, vendor);
  if (fallback !== undefined) property.default = fallback;
  if (setting.kind === "url") property.minLength = 1;
  if (setting.kind === "duration") property.format = "duration";
  if (setting.kind === "list") property.items = { type: "string" };
  return { ...property, ...override };
}

/** The env-keyed schema of one vendor connector, as the OpenCTI catalog ships it. */
export function catalogJsonSchema(vendor: VendorConfigDescriptor): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const sections: ConfigSection[] = [OPENCTI_SECTION, CONNECTOR_SECTION, vendor.section];
  for (const section of sections) {
    for (const [key, setting] of Object.entries(section.settings)) {
      if (setting.meta.catalog === false || setting.meta.deprecatedAliasOf) continue;
      const env = envName(section.name, key, setting);
      let override: JsonSchema | undefined;
      if (section === CONNECTOR_SECTION && key === "type") {
        override = { const: "INTERNAL_ENRICHMENT", enum: undefined, type: "string" };
      }
      if (section === CONNECTOR_SECTION && key === "vendor") {
        override = { type: "string", enum: [vendor.name], default: vendor.name };
      }
      properties[env] = dropUndefined(catalogProperty(setting, vendor, override));
      if (setting.meta.required) required.push(env);
    }
  }
  return {
    $schema: JSON_SCHEMA_2020_12,
    $id: `https://www.filigran.io/connectors/${vendor.slug}_config.schema.json`,
    type: "object",
    properties,
    required,
    additionalProperties: true,
  };
}

function withoutKey(value: unknown, key: string): JsonSchema {
  const copy = { ...(value as JsonSchema) };
  delete copy[key];
  return copy;
}

function dropUndefined(value: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
}
