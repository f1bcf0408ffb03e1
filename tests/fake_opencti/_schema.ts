/**
 * Loads our connector-facing SDL (`schema.graphql`) and builds the schema the
 * fake serves for a given platform version: before 6.8.9 the platform's
 * `RegisterConnectorInput` had no `auto_update` or `enrichment_resolution`.
 *
 * @module
 */

import { buildSchema, type GraphQLSchema } from "graphql";

/** The path of our SDL. */
export const SCHEMA_URL: URL = new URL("./schema.graphql", import.meta.url);

/** Reads `schema.graphql`. */
export function readFakeSdl(): Promise<string> {
  return Deno.readTextFile(SCHEMA_URL);
}

/** True when `version` is at least 6.8.9 (or not a parseable version: then the newest schema). */
export function hasEnrichmentUpdateFields(version: string): boolean {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) return true;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major !== 6) return major > 6;
  if (minor !== 8) return minor > 8;
  return patch >= 9;
}

/** The SDL as a platform of `version` has it. */
export function sdlForVersion(sdl: string, version: string): string {
  if (hasEnrichmentUpdateFields(version)) return sdl;
  return sdl.replace(/input RegisterConnectorInput \{[^}]*\}/, (block) =>
    block
      .split("\n")
      .filter((line) => !/^\s*(auto_update|enrichment_resolution):/.test(line))
      .join("\n"));
}

/** Builds the schema a platform of `version` serves. */
export async function buildFakeSchema(version: string): Promise<GraphQLSchema> {
  return buildSchema(sdlForVersion(await readFakeSdl(), version));
}
