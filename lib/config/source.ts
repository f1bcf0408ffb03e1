/**
 * Finding and reading `config.yml`. pycti connectors read the file next to
 * their main program; a compiled binary looks next to itself, then in the
 * working directory. An explicitly given path must exist; the default one may
 * be absent (everything can come from env vars, as in a container).
 *
 * @module
 */

import { LineCounter, parseDocument } from "yaml";
import { ConfigError } from "../errors/mod.ts";

/** Where the YAML came from and what it holds. */
export interface ConfigSource {
  /** The file read, when one was. */
  path?: string;
  /** The parsed document; `{}` without a file. */
  yaml: Record<string, unknown>;
}

/** Paths tried when no `--config` is given, in order. */
export function defaultConfigPaths(
  execPath: string = Deno.execPath(),
  cwd: string = Deno.cwd(),
): string[] {
  const paths: string[] = [];
  const execDir = dirname(execPath);
  // Under `deno run` the executable is deno itself; its folder is no place for our config.
  if (!/^deno(\.exe)?$/.test(basename(execPath))) paths.push(`${execDir}/config.yml`);
  paths.push(`${cwd}/config.yml`);
  return [...new Set(paths)];
}

/** Parses YAML text into the config document; syntax errors name the file, line and column. */
export function parseConfigYaml(text: string, path: string): Record<string, unknown> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const error = document.errors[0];
  if (error) {
    const position = lineCounter.linePos(error.pos[0]);
    const where = `line ${position.line}, column ${position.col}: `;
    const reason = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+.*$/, "");
    throw new ConfigError([{ path, message: `${where}${reason}` }], {
      summary: `Cannot read config file "${path}"`,
      cause: error,
    });
  }
  const value = document.toJS() as unknown;
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError([{ path, message: "the document must be a mapping of sections" }], {
      summary: `Cannot read config file "${path}"`,
    });
  }
  return value as Record<string, unknown>;
}

/** Reads the config file: `explicitPath` must exist; otherwise the first default path that exists, if any. */
export async function readConfigSource(
  explicitPath: string | undefined,
  candidates: readonly string[] = defaultConfigPaths(),
): Promise<ConfigSource> {
  if (explicitPath !== undefined) {
    const text = await readText(explicitPath, true);
    return { path: explicitPath, yaml: parseConfigYaml(text ?? "", explicitPath) };
  }
  for (const path of candidates) {
    const text = await readText(path, false);
    if (text !== undefined) return { path, yaml: parseConfigYaml(text, path) };
  }
  return { yaml: {} };
}

async function readText(path: string, mustExist: boolean): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound && !mustExist) return undefined;
    if (error instanceof Deno.errors.NotCapable && !mustExist) return undefined;
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
      ? "permission denied: this program may not read it (run it with --allow-read)"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new ConfigError([{ path, message: reason }], {
      summary: `Cannot read config file "${path}"`,
      cause: error,
    });
  }
}

function dirname(path: string): string {
  const index = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return index <= 0 ? (index === 0 ? "/" : ".") : path.slice(0, index);
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}
