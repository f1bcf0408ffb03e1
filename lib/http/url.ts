/**
 * Building vendor URLs: the base path is kept whatever the slashes, values
 * are encoded as one path segment, and a path that would climb out of its
 * place (a `.` or `..` segment, raw or percent-encoded: the URL parser
 * resolves `%2E%2E` like `..`) is refused before any request.
 *
 * @module
 */

/** Joins a base URL and a path so slashes on either side do not matter and the base path is kept. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/**
 * Encodes one value for a URL path segment (`/` included). `.` and `..` stay
 * dot segments however they are encoded; {@link hasDotSegment} finds them.
 */
export function encodePathSegment(value: string): string {
  return encodeURIComponent(value);
}

/** True when a segment of `path` is `.` or `..`, raw or percent-encoded (the URL parser would resolve it). */
export function hasDotSegment(path: string): boolean {
  const bare = path.split(/[?#]/, 1)[0] ?? "";
  return bare.split(/[/\\]/).some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}
