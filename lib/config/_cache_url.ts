/**
 * `CONNECTOR_CACHE_URL`: `redis://[user:password@]host[:port][/db]`, or
 * `rediss://` for TLS (the schemes IANA registers for Redis). One parser for
 * the config loader, which reports a problem with the rest of the
 * configuration, and the Redis store, which connects to the target. The URL
 * can hold a password, so no problem quotes it (Deno's own `Invalid URL`
 * error would, so it is never kept).
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

const SHAPE = "expected redis://[user:password@]host[:port][/db] or rediss://… for TLS";
const DEFAULT_PORT = 6379;

/** The target of a Redis URL, or why it is not one (a message that never quotes the URL). */
export function parseRedisUrl(url: string): { target: RedisTarget } | { problem: string } {
  const parsed = URL.parse(url.trim());
  if (!parsed) return { problem: `is not a valid URL (${SHAPE})` };
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    return { problem: `uses the scheme "${parsed.protocol}"; ${SHAPE}` };
  }
  // A non-special scheme keeps brackets around an IPv6 literal.
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") return { problem: `has no host (${SHAPE})` };
  const path = parsed.pathname.replace(/^\/+/, "");
  if (path !== "" && !/^\d{1,5}$/.test(path)) {
    return { problem: `has a path that is not a database number such as /0 (${SHAPE})` };
  }
  const username = decoded(parsed.username);
  const password = decoded(parsed.password);
  if (username === undefined || password === undefined) {
    return {
      problem: `has a user name or password that is not valid percent-encoding (${SHAPE})`,
    };
  }
  const port = parsed.port === "" ? DEFAULT_PORT : Number(parsed.port);
  const database = path === "" ? 0 : Number(path);
  return {
    target: {
      host,
      port,
      tls: parsed.protocol === "rediss:",
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      database,
      label: `${parsed.hostname}:${port}/${database}`,
    },
  };
}

function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}
