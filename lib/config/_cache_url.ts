/**
 * The shape of `CONNECTOR_CACHE_URL`: `redis://[user:password@]host[:port][/db]`,
 * or `rediss://` for TLS (the schemes IANA registers for Redis), checked at
 * load time with the rest of the configuration. The URL can hold a password,
 * so no problem quotes it.
 *
 * @module
 */

const SHAPE = "expected redis://[user:password@]host[:port][/db] or rediss://… for TLS";

/** Why `url` is not a usable Redis URL, or undefined when it is one. */
export function redisUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return `is not a valid URL (${SHAPE})`;
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    return `uses the scheme "${parsed.protocol}"; ${SHAPE}`;
  }
  if (parsed.hostname === "") return `has no host (${SHAPE})`;
  const path = parsed.pathname.replace(/^\/+/, "");
  if (path !== "" && !/^\d{1,5}$/.test(path)) {
    return `has a path that is not a database number such as /0 (${SHAPE})`;
  }
  for (const part of [parsed.username, parsed.password]) {
    try {
      decodeURIComponent(part);
    } catch {
      return `has a user name or password that is not valid percent-encoding (${SHAPE})`;
    }
  }
  return undefined;
}
