/**
 * The HTTP headers of every platform call: the bearer token (the platform
 * reads it only with the exact, case-sensitive prefix "Bearer "), the user
 * agent, JSON, the custom headers, and the draft id of the message.
 *
 * @module
 */

/** The header carrying a message's draft id. */
export const DRAFT_HEADER = "opencti-draft-id";

/** Options of {@link buildHeaders}. */
export interface HeaderOptions {
  token: string;
  userAgent: string;
  /** The custom headers (`OPENCTI_CUSTOM_HEADERS`, parsed by the config loader); applied last, so they can override the defaults as in pycti. */
  custom?: Record<string, string>;
  /** Sent as `opencti-draft-id` when a non-empty string. */
  draftId?: string | null | undefined;
}

/** The headers of one call. */
export function buildHeaders(options: HeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "Authorization": `Bearer ${options.token}`,
    "User-Agent": options.userAgent,
    "Content-Type": "application/json",
    ...options.custom,
  };
  if (typeof options.draftId === "string" && options.draftId !== "") {
    headers[DRAFT_HEADER] = options.draftId;
  }
  return headers;
}
