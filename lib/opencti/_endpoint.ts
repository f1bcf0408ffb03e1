/**
 * The GraphQL endpoint: the platform mounts GraphQL at `<base path>/graphql`,
 * so `OPENCTI_URL` is the platform's base URL and the endpoint is that plus
 * `/graphql`.
 *
 * @module
 */

import { ConfigError } from "../errors/mod.ts";

/** `url + "/graphql"`, keeping any base path and dropping trailing slashes. */
export function graphQlEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new ConfigError([{ path: "opencti.url", env: "OPENCTI_URL", message: "is not a URL" }]);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ConfigError([{
      path: "opencti.url",
      env: "OPENCTI_URL",
      message: `must start with "http://" or "https://", got "${parsed.protocol}"`,
    }]);
  }
  return `${url.trim().replace(/\/+$/, "")}/graphql`;
}

/** The endpoint without any credentials embedded in it. */
export function displayUrl(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = "";
    url.password = "";
    return url.toString();
  } catch {
    return endpoint;
  }
}
