/**
 * The broker connection a connector uses: the coordinates the platform
 * returned at registration, with the `MQ_*` overrides applied on top
 * (pycti's `mq.*` keys, applied after registration). TLS material may be PEM
 * text or a path.
 *
 * @module
 */

import type { MqOverrides } from "../config/mod.ts";
import { ConfigError } from "../errors/mod.ts";
import type { BrokerCoordinates } from "./ports.ts";

/** Where and how to connect, after overrides. */
export interface BrokerConnectionSettings extends BrokerCoordinates {
  /** TLS options, when `useSsl`. */
  tls?: {
    ca?: string;
    cert?: string;
    key?: string;
    passphrase?: string;
    rejectUnauthorized: boolean;
  };
}

/** Applies the `MQ_*` overrides to the registration's coordinates. */
export async function brokerConnection(
  registered: BrokerCoordinates,
  overrides: MqOverrides,
  readFile: (path: string) => Promise<string> = (path) => Deno.readTextFile(path),
): Promise<BrokerConnectionSettings> {
  const settings: BrokerConnectionSettings = {
    host: overrides.host ?? registered.host,
    port: overrides.port ?? registered.port,
    vhost: overrides.vhost ?? registered.vhost,
    useSsl: overrides.use_ssl ?? registered.useSsl,
    user: overrides.user ?? registered.user,
    pass: overrides.pass ?? registered.pass,
  };
  if (!settings.useSsl) return settings;
  const tls: NonNullable<BrokerConnectionSettings["tls"]> = {
    rejectUnauthorized: overrides.use_ssl_reject_unauthorized ?? false,
  };
  const material = [
    ["ca", "use_ssl_ca", "MQ_USE_SSL_CA"],
    ["cert", "use_ssl_cert", "MQ_USE_SSL_CERT"],
    ["key", "use_ssl_key", "MQ_USE_SSL_KEY"],
  ] as const;
  for (const [field, key, env] of material) {
    const value = overrides[key];
    if (value !== undefined) {
      tls[field] = await pemOrFile(
        value,
        { path: `mq.${key}`, env, secret: field === "key" },
        readFile,
      );
    }
  }
  if (overrides.use_ssl_passphrase !== undefined) tls.passphrase = overrides.use_ssl_passphrase;
  settings.tls = tls;
  return settings;
}

/** A stable key grouping instances that can share one connection. */
export function connectionKey(settings: BrokerConnectionSettings): string {
  return JSON.stringify([
    settings.host,
    settings.port,
    settings.vhost,
    settings.user,
    settings.useSsl,
  ]);
}

async function pemOrFile(
  value: string,
  where: { path: string; env: string; secret: boolean },
  readFile: (path: string) => Promise<string>,
): Promise<string> {
  if (value.trimStart().startsWith("-----BEGIN")) return value;
  try {
    return await readFile(value);
  } catch (error) {
    // A private key pasted without its PEM header must not end up in an error message.
    const shown = where.secret ? "the file" : `file "${value}"`;
    const reason = error instanceof Deno.errors.NotFound ? "no such file" : "unreadable";
    throw new ConfigError([{
      path: where.path,
      env: where.env,
      message: `is neither PEM text nor a readable path (${shown}: ${reason})`,
    }], { summary: "Invalid broker TLS settings" });
  }
}
