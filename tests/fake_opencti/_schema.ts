/**
 * The schema the fake serves for a given platform version, built from our
 * connector-facing SDL: `schema.graphql` is the 6.8.10 slice; before 6.8.9
 * the platform's `RegisterConnectorInput` had no `auto_update` or
 * `enrichment_resolution`; from 7 on, `schema-7.graphql` adds the 7.x fields.
 * 6.9.x plays as 6.8.10.
 *
 * @module
 */

import { buildSchema, type GraphQLSchema } from "graphql";

/** The path of our 6.8.10 SDL. */
export const SCHEMA_URL: URL = new URL("./schema.graphql", import.meta.url);

/** The path of the 7.x additions to it. */
export const SCHEMA_7_URL: URL = new URL("./schema-7.graphql", import.meta.url);

interface Triple {
  major: number;
  minor: number;
  patch: number;
}

function triple(version: string): Triple | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** True when `version` is at least 6.8.9 (or not a parseable version: then the newest schema). */
export function hasEnrichmentUpdateFields(version: string): boolean {
  const parsed = triple(version);
  if (!parsed) return true;
  const { major, minor, patch } = parsed;
  if (major !== 6) return major > 6;
  if (minor !== 8) return minor > 8;
  return patch >= 9;
}

/** True when the fake plays a 7.x platform for `version` (an unparseable version plays the newest). */
export function isPlatform7(version: string): boolean {
  const parsed = triple(version);
  return parsed === undefined || parsed.major >= 7;
}

/** The SDL a platform of `version` has. */
export async function readFakeSdl(version = "6.8.10"): Promise<string> {
  const base = await Deno.readTextFile(SCHEMA_URL);
  if (isPlatform7(version)) return `${base}\n${await Deno.readTextFile(SCHEMA_7_URL)}`;
  if (hasEnrichmentUpdateFields(version)) return base;
  return base.replace(/input RegisterConnectorInput \{[^}]*\}/, (block) =>
    block
      .split("\n")
      .filter((line) => !/^\s*(auto_update|enrichment_resolution):/.test(line))
      .join("\n"));
}

/** Builds the schema a platform of `version` serves. */
export async function buildFakeSchema(version: string): Promise<GraphQLSchema> {
  return buildSchema(await readFakeSdl(version));
}
