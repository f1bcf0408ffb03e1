/**
 * Cache keys of vendor answers. A key names the vendor, a fingerprint of the
 * credentials and the question (path and sorted query), so an answer never
 * outlives a changed API key and never serves another key's account.
 *
 * @module
 */

/** Headers that say nothing about who asks. */
const NOT_CREDENTIALS = new Set(["user-agent", "accept"]);

/**
 * The first 16 hex characters of SHA-256 over the credential headers (every
 * header but user-agent and accept, names lower-cased, sorted).
 */
export async function credentialFingerprint(headers: Record<string, string>): Promise<string> {
  const lines = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .filter(([name]) => !NOT_CREDENTIALS.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(lines.join("")));
  return Array.from(
    new Uint8Array(digest).subarray(0, 8),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

/** `${vendor}:${fingerprint}:${path}?${sorted query}` for the URL asked. */
export function cacheKey(vendor: string, fingerprint: string, url: URL): string {
  const query = new URLSearchParams(url.search);
  query.sort();
  return `${vendor}:${fingerprint}:${url.pathname}?${query.toString()}`;
}
