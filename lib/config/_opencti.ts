/**
 * The `opencti.*` values turned into what the client uses: the base URL
 * normalised (an URL ending in `/graphql` is refused: the client adds it, and
 * the platform answers `/graphql/graphql` with HTTP 404), the custom headers
 * parsed, and the TLS setting resolved, with the CA bundle read.
 *
 * @module
 */

import type { ConfigIssue } from "../errors/mod.ts";
import type { OPENCTI_SECTION } from "./core_sections.ts";
import { readPemFile, type ReadTextFile } from "./_files.ts";
import type { SectionValues } from "./settings.ts";
import type { MqOverrides, OpenCtiConfig, OpenCtiTls } from "./types.ts";

type OpenCtiValues = SectionValues<typeof OPENCTI_SECTION.settings>;

/** A header name as RFC 9110 defines a token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The platform's settings from the resolved `opencti.*` values (some may be
 * missing after an issue); problems go to `issues`. Each part is checked even
 * when another is missing, so every problem is listed at once.
 */
export async function openCtiConfig(
  values: Partial<OpenCtiValues>,
  issues: ConfigIssue[],
  readFile: ReadTextFile,
): Promise<OpenCtiConfig | undefined> {
  const url = values.url === undefined ? undefined : normaliseUrl(values.url, issues);
  const customHeaders = values.custom_headers === undefined
    ? {}
    : parseCustomHeaders(values.custom_headers, issues);
  const tls = await tlsOf(values.ssl_verify ?? false, issues, readFile);
  const { token, json_logging, timeout, max_retries } = values;
  if (
    url === undefined || token === undefined || json_logging === undefined ||
    timeout === undefined || max_retries === undefined
  ) {
    return undefined;
  }
  return {
    url,
    token,
    customHeaders,
    tls,
    jsonLogging: json_logging,
    timeoutMs: timeout * 1000,
    maxRetries: max_retries,
  };
}

/** The URL without trailing slashes; an URL ending in `/graphql` is an issue saying to drop it. */
export function normaliseUrl(url: string, issues: ConfigIssue[]): string {
  const trimmed = url.trim().replace(/\/+$/, "");
  if (/\/graphql$/i.test(trimmed)) {
    const base = trimmed.replace(/\/graphql$/i, "");
    issues.push({
      path: "opencti.url",
      env: "OPENCTI_URL",
      message:
        `ends with "/graphql"; set it to the platform's base URL without it ("${base}"): the connector adds /graphql itself`,
    });
  }
  return trimmed;
}

/**
 * Parses pycti's `OPENCTI_CUSTOM_HEADERS` form, `"h1:v1;h2:v2"`: split on `;`,
 * then on the first `:`, both sides trimmed; empty entries are skipped.
 * Problems name the entry's position, never its value (it may be a secret).
 */
export function parseCustomHeaders(text: string, issues: ConfigIssue[]): Record<string, string> {
  const headers: Record<string, string> = {};
  text.split(";").forEach((entry, index) => {
    if (entry.trim() === "") return;
    const colon = entry.indexOf(":");
    const name = colon < 0 ? "" : entry.slice(0, colon).trim();
    let problem: string | undefined;
    if (colon < 0) problem = `entry ${index + 1} has no ":" between the header name and its value`;
    else if (!HEADER_NAME.test(name)) problem = `entry ${index + 1} has an invalid header name`;
    else headers[name] = entry.slice(colon + 1).trim();
    if (problem !== undefined) {
      issues.push({
        path: "opencti.custom_headers",
        env: "OPENCTI_CUSTOM_HEADERS",
        message: `${problem} (expected "name1:value1;name2:value2")`,
      });
    }
  });
  return headers;
}

async function tlsOf(
  sslVerify: boolean | string,
  issues: ConfigIssue[],
  readFile: ReadTextFile,
): Promise<OpenCtiTls> {
  if (typeof sslVerify === "boolean") return { verify: sslVerify };
  const read = await readPemFile(sslVerify, {
    what: "the CA bundle",
    expect: "CERTIFICATE",
    readFile,
  });
  if (!read.ok) {
    issues.push({
      path: "opencti.ssl_verify",
      env: "OPENCTI_SSL_VERIFY",
      message:
        `${read.problem}; set it to the path of a readable PEM CA bundle, or to true to use the system's trusted roots`,
    });
    return { verify: true };
  }
  return { verify: true, caCerts: [read.pem] };
}

const MQ_MATERIAL = [
  ["use_ssl_ca", "MQ_USE_SSL_CA", "the CA certificate", false],
  ["use_ssl_cert", "MQ_USE_SSL_CERT", "the client certificate", false],
  ["use_ssl_key", "MQ_USE_SSL_KEY", "the client private key", true],
] as const;

/**
 * The `mq.*` overrides with their TLS material as PEM text: a value that is not
 * PEM text is a path, read now. `secrets` receives the private key's text.
 */
export async function mqOverrides(
  values: Record<string, unknown>,
  context: { issues: ConfigIssue[]; secrets: Set<string>; readFile: ReadTextFile },
): Promise<MqOverrides> {
  const mq = { ...values } as MqOverrides;
  for (const [key, env, what, secret] of MQ_MATERIAL) {
    const value = mq[key];
    if (value === undefined || value.trimStart().startsWith("-----BEGIN")) continue;
    const read = await readPemFile(value, { what, secret, readFile: context.readFile });
    if (read.ok) {
      mq[key] = read.pem;
      if (secret) context.secrets.add(read.pem);
    } else {
      context.issues.push({
        path: `mq.${key}`,
        env,
        message: `is neither PEM text nor a readable PEM file: ${read.problem}`,
      });
    }
  }
  return mq;
}
