/**
 * The GraphQL endpoint: the platform mounts GraphQL at `<base path>/graphql`,
 * so `OPENCTI_URL` is the platform's base URL and the endpoint is that plus
 * `/graphql`.
 *
 * @module
 */

/**
 * `url + "/graphql"`, keeping any base path and dropping trailing slashes.
 * The config loader checked that `url` is an http(s) URL.
 */
export function graphQlEndpoint(url: string): string {
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
