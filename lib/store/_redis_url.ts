/**
 * Reads CONNECTOR_CACHE_URL: `redis://[user:password@]host[:port][/db]`, or
 * `rediss://` for TLS (the schemes IANA registers for Redis). The config
 * loader checked the URL's shape, so a malformed one here is a programming
 * error; the URL can hold a password, so the error never quotes it.
 *
 * @module
 */

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

const DEFAULT_PORT = 6379;

/** Parses a Redis URL the config loader accepted; any other text throws a `RangeError` that does not quote it. */
export function parseRedisUrl(url: string): RedisTarget {
  const parsed = URL.parse(url.trim());
  // A non-special scheme keeps brackets around an IPv6 literal.
  const host = parsed?.hostname.replace(/^\[(.*)\]$/, "$1") ?? "";
  const path = parsed?.pathname.replace(/^\/+/, "") ?? "";
  if (!parsed || !/^rediss?:$/.test(parsed.protocol) || host === "" || !/^\d{0,5}$/.test(path)) {
    throw notChecked();
  }
  const port = parsed.port === "" ? DEFAULT_PORT : Number(parsed.port);
  const database = path === "" ? 0 : Number(path);
  const username = decode(parsed.username);
  const password = decode(parsed.password);
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

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw notChecked();
  }
}

function notChecked(): RangeError {
  return new RangeError(
    "The vendor cache URL is not one the config loader accepts (CONNECTOR_CACHE_URL)",
  );
}
