/**
 * Reads CONNECTOR_CACHE_URL: `redis://[user:password@]host[:port][/db]`, or
 * `rediss://` for TLS (the schemes IANA registers for Redis). The URL can hold
 * a password, so no message or cause built here contains it: Deno's own
 * `Invalid URL` error quotes the whole input and is never kept as a cause.
 *
 * @module
 */

import { ConfigError } from "../errors/mod.ts";

/** Where the Redis store is, parsed from the URL. */
export interface RedisTarget {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** The logical database (`SELECT`), 0 by default. */
  database: number;
  /** `host:port/db`, for logs: no credentials. */
  label: string;
}

const SHAPE = "expected redis://[user:password@]host[:port][/db] or rediss://… for TLS";
const DEFAULT_PORT = 6379;

/** Parses a Redis URL; a malformed one is a `ConfigError` on `connector.cache_url`. */
export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw invalid(`is not a valid URL (${SHAPE})`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw invalid(`uses the scheme "${parsed.protocol}"; ${SHAPE}`);
  }
  // A non-special scheme keeps brackets around an IPv6 literal.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") throw invalid(`has no host (${SHAPE})`);
  const port = parsed.port === "" ? DEFAULT_PORT : Number(parsed.port);
  const path = parsed.pathname.replace(/^\/+/, "");
  if (path !== "" && !/^\d{1,5}$/.test(path)) {
    throw invalid(`has the path "/${path}": the path is the database number, e.g. /0 (${SHAPE})`);
  }
  const database = path === "" ? 0 : Number(path);
  const username = decode(parsed.username, "user name");
  const password = decode(parsed.password, "password");
  return {
    host,
    port,
    tls: parsed.protocol === "rediss:",
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    database,
    label: `${parsed.hostname}:${port}/${database}`,
  };
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(`has a ${what} that is not valid percent-encoding (${SHAPE})`);
  }
}

function invalid(message: string): ConfigError {
  return new ConfigError(
    [{ path: "connector.cache_url", env: "CONNECTOR_CACHE_URL", message }],
    { summary: "Invalid vendor cache URL" },
  );
}
