/**
 * TLS towards the platform. Deno always verifies the platform's certificate:
 * it has no per-client switch to turn verification off, only the process-wide
 * `--unsafely-ignore-certificate-errors` flag. So `verify: false`, pycti's
 * default for `OPENCTI_SSL_VERIFY`, still verifies. A private CA is trusted by
 * handing its PEM certificates to `Deno.createHttpClient({ caCerts })`, which
 * adds them to the default roots, or, when the CA is in the system trust
 * store, by starting the process with `DENO_TLS_CA_STORE=system`.
 *
 * When verification fails, a second connection that does not verify
 * (`node:tls` with `rejectUnauthorized: false`) reads the certificate the
 * server presented, so the error can name its subject and issuer. That
 * connection only completes a handshake and closes; nothing is sent over it.
 *
 * @module
 */

import { isIP } from "node:net";
import { connect, type PeerCertificate } from "node:tls";
import { ConfigError, type ConnectionFailure } from "../errors/mod.ts";

/** How the platform's certificate is checked. */
export interface TlsSettings {
  /** `OPENCTI_SSL_VERIFY` as a boolean; Deno verifies either way (see the module docs). */
  verify: boolean;
  /** PEM texts of extra CAs to trust (the bundle `OPENCTI_SSL_VERIFY` names, read and checked by the config loader). */
  caCerts?: readonly string[];
}

/** What the server presented, read without verifying it. */
export interface PresentedCertificate {
  /** e.g. `CN=opencti.internal`. */
  subject: string;
  /** e.g. `CN=Example Private CA, O=Example Corp`. */
  issuer: string;
  /** The names it is valid for, from its subject alternative names (or its CN). */
  names: string[];
  /** As the certificate says, e.g. `Dec  4 07:02:24 2026 GMT`. */
  validTo: string;
}

const PROBE_TIMEOUT_MS = 3_000;

/**
 * A factory of the HTTP client that trusts the CA texts (undefined without
 * any). The config loader checked that each text holds a PEM certificate; a
 * certificate Deno still refuses is a `ConfigError` when the client is made.
 */
export function tlsHttpClient(tls: TlsSettings): (() => Deno.HttpClient) | undefined {
  const caCerts = tls.caCerts ?? [];
  if (caCerts.length === 0) return undefined;
  return () => {
    try {
      return Deno.createHttpClient({ caCerts: [...caCerts] });
    } catch (error) {
      throw new ConfigError([{
        path: "opencti.ssl_verify",
        env: "OPENCTI_SSL_VERIFY",
        message: `cannot use the CA bundle: ${error instanceof Error ? error.message : error}`,
      }], { cause: error });
    }
  };
}

/** Reads the certificate the server at `url` presents, without verifying it; undefined when it cannot. */
export function readPresentedCertificate(
  url: URL,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<PresentedCertificate | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const port = Number(url.port || 443);
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({
      host,
      port,
      rejectUnauthorized: false,
      ...(isIP(host) ? {} : { servername: host }),
    });
    const finish = (certificate: PresentedCertificate | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(certificate);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.once("secureConnect", () => finish(describe(socket.getPeerCertificate())));
    socket.once("error", () => finish(undefined));
  });
}

/** What went wrong with TLS and how to fix it, after the failure's own phrase. */
export async function explainTlsFailure(
  failure: ConnectionFailure,
  context: { endpoint: URL; tls: TlsSettings },
): Promise<string> {
  const { endpoint, tls } = context;
  if (failure.kind === "tls_mismatch") {
    return `${failure.reason}; check the scheme and the port of OPENCTI_URL (opencti.url)`;
  }
  const server = endpoint.host;
  const presented = await readPresentedCertificate(endpoint);
  const shown = presented
    ? `the server "${server}" presented a certificate for "${
      presented.names.join(", ") || presented.subject
    }" issued by "${presented.issuer}"${
      presented.issuer === presented.subject ? " (self-signed)" : ""
    }`
    : `the certificate the server "${server}" presented could not be read to name its issuer`;
  const problem = `${failure.reason}\n${failure.detail}`;
  if (/NotValidForName|not valid for name/i.test(problem)) {
    return `certificate not valid for this host name: ${shown}, which does not name the host "${endpoint.hostname}"; set OPENCTI_URL (opencti.url) to a host name the certificate names`;
  }
  if (/Expired|NotValidYet|not valid (before|after)/i.test(problem)) {
    const until = presented ? ` (valid until ${presented.validTo})` : "";
    return `${failure.reason}: ${shown}${until}; the platform's certificate must be renewed`;
  }
  const given = (tls.caCerts ?? []).length > 0
    ? " The CA bundle OPENCTI_SSL_VERIFY names does not contain the CA that signed it."
    : "";
  const off = tls.verify
    ? ""
    : ` OPENCTI_SSL_VERIFY is false (pycti's default), but Deno cannot turn certificate verification off, so a platform with a private CA needs one of these fixes.`;
  return `${failure.reason}: ${shown}.${given} Fix: set OPENCTI_SSL_VERIFY (opencti.ssl_verify) to the path of the CA bundle (PEM) that signed it, or start the connector with DENO_TLS_CA_STORE=system when that CA is in the system trust store.${off}`;
}

function describe(certificate: PeerCertificate | undefined): PresentedCertificate | undefined {
  if (!certificate || !certificate.subject) return undefined;
  const subject = distinguishedName({ ...certificate.subject });
  const alternative = (certificate.subjectaltname ?? "")
    .split(",")
    .map((entry) => entry.trim().replace(/^(DNS|IP Address):/, ""))
    .filter((entry) => entry !== "");
  const commonName = first(certificate.subject.CN);
  return {
    subject,
    issuer: distinguishedName({ ...certificate.issuer }),
    names: alternative.length > 0 ? alternative : commonName ? [commonName] : [],
    validTo: certificate.valid_to ?? "",
  };
}

function distinguishedName(name: Record<string, string | string[] | undefined>): string {
  const keys = Object.keys(name).sort((a, b) => (a === "CN" ? -1 : b === "CN" ? 1 : 0));
  return keys
    .flatMap((key) => {
      const value = name[key];
      return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) =>
        `${key}=${item}`
      );
    })
    .join(", ");
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
