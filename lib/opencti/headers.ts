/**
 * The HTTP headers of every platform call: the bearer token (the platform
 * reads it only with the exact, case-sensitive prefix "Bearer "), the user
 * agent, JSON, the custom headers, and the draft id of the message.
 *
 * @module
 */

import { ConfigError } from "../errors/mod.ts";

/** The header carrying a message's draft id. */
export const DRAFT_HEADER = "opencti-draft-id";

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Parses pycti's `OPENCTI_CUSTOM_HEADERS` form, `"h1:v1;h2:v2"`: split on `;`,
 * then on the first `:`, both sides trimmed; empty entries are skipped.
 * Errors name the entry's position, never its value (it may be a secret).
 */
export function parseCustomHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const issues: string[] = [];
  text.split(";").forEach((entry, index) => {
    if (entry.trim() === "") return;
    const colon = entry.indexOf(":");
    const name = colon < 0 ? "" : entry.slice(0, colon).trim();
    if (colon < 0) {
      issues.push(`entry ${index + 1} has no ":" between the header name and its value`);
    } else if (!HEADER_NAME.test(name)) {
      issues.push(`entry ${index + 1} has an invalid header name`);
    } else {
      headers[name] = entry.slice(colon + 1).trim();
    }
  });
  if (issues.length > 0) {
    throw new ConfigError(
      issues.map((message) => ({
        path: "opencti.custom_headers",
        env: "OPENCTI_CUSTOM_HEADERS",
        message: `${message} (expected "name1:value1;name2:value2")`,
      })),
    );
  }
  return headers;
}

/** Options of {@link buildHeaders}. */
export interface HeaderOptions {
  token: string;
  userAgent: string;
  /** Parsed custom headers; applied last, so they can override the defaults as in pycti. */
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
