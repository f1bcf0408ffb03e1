/**
 * Markdown renderings of the configuration schema: the catalog-style
 * `CONNECTOR_CONFIG_DOC.md` of one vendor connector, and the full settings
 * table embedded in the README. Both are generated, and tests fail when the
 * committed copies are stale.
 *
 * @module
 */

import { CORE_SECTIONS } from "./core_sections.ts";
import { catalogJsonSchema, effectiveDefault, type JsonSchema } from "./json_schema.ts";
import { envName } from "./settings.ts";
import type { VendorConfigDescriptor } from "./types.ts";

const FORMAT_LINK =
  "https://json-schema.org/understanding-json-schema/reference/string#built-in-formats";

/** `CONNECTOR_CONFIG_DOC.md` for one vendor connector, rendered from its catalog schema. */
export function connectorConfigDoc(vendor: VendorConfigDescriptor): string {
  const schema = catalogJsonSchema(vendor);
  const properties = schema.properties as Record<string, JsonSchema>;
  const required = new Set(schema.required as string[]);
  const names = Object.keys(properties);
  const ordered = [
    ...names.filter((n) => required.has(n)),
    ...names.filter((n) => !required.has(n)),
  ];
  const rows = ordered.map((name) => {
    const property = properties[name] as JsonSchema;
    const cells = [
      name,
      `\`${typeOf(property)}\``,
      required.has(name) ? "✅" : "",
      possibleValues(property),
      property.default === undefined ? "" : `\`${JSON.stringify(property.default)}\``,
      escapeCell(String(property.description ?? "")),
    ];
    return `| ${cells.join(" | ")} |`;
  });
  return [
    "# Connector Configurations",
    "",
    `Below is an exhaustive enumeration of all configurable parameters available for the ${vendor.title} connector run by opencti-enrich, each accompanied by detailed explanations of their purposes, default behaviors, and usage guidelines to help you understand and utilize them effectively.`,
    "",
    "### Type: `object`",
    "",
    "| Property | Type | Required | Possible values | Default | Description |",
    "| -------- | ---- | -------- | --------------- | ------- | ----------- |",
    ...rows,
    "",
  ].join("\n");
}

/** The README's table of every setting, core and vendor, with YAML key, env var and default. */
export function settingsTableMarkdown(vendors: readonly VendorConfigDescriptor[]): string {
  const lines = [
    "| YAML key | Env var | Default | Description |",
    "| -------- | ------- | ------- | ----------- |",
  ];
  for (const section of [...CORE_SECTIONS, ...vendors.map((vendor) => vendor.section)]) {
    for (const [key, setting] of Object.entries(section.settings)) {
      const env = [envName(section.name, key, setting), ...(setting.meta.envFallbacks ?? [])]
        .map((name) => `\`${name}\``).join(" / ");
      let fallback: string;
      if (setting.meta.vendorDefault) fallback = "per vendor";
      else if (setting.meta.required) fallback = "**required**";
      else {
        const value = effectiveDefault(setting);
        fallback = value === undefined ? "" : `\`${JSON.stringify(value)}\``;
      }
      let description = setting.meta.description;
      if (setting.meta.secret) description += " Secret: never logged.";
      if (setting.meta.deprecatedAliasOf) {
        description +=
          ` Deprecated alias of \`${section.name}.${setting.meta.deprecatedAliasOf}\`.`;
      }
      lines.push(
        `| \`${section.name}.${key}\` | ${env} | ${fallback} | ${escapeCell(description)} |`,
      );
    }
  }
  return lines.join("\n") + "\n";
}

function typeOf(property: JsonSchema): string {
  if (property.const !== undefined) return "const";
  if (Array.isArray(property.anyOf)) return "boolean | string";
  return String(property.type ?? "string");
}

function possibleValues(property: JsonSchema): string {
  if (Array.isArray(property.enum)) {
    return property.enum.map((value) => `\`${JSON.stringify(value)}\``).join(" ");
  }
  if (property.const !== undefined) return `\`${JSON.stringify(property.const)}\``;
  if (typeof property.format === "string") {
    return `Format: [\`${property.format}\`](${FORMAT_LINK})`;
  }
  return "";
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}
