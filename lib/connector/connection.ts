/**
 * The broker connection a connector uses: the coordinates the platform
 * returned at registration, with the `MQ_*` overrides applied on top
 * (pycti's `mq.*` keys, applied after registration). TLS material may be PEM
 * text or a path.
 *
 * @module
 */

import type { MqOverrides } from "../config/mod.ts";
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

/**
 * Applies the `MQ_*` overrides to the registration's coordinates. The TLS
 * material is PEM text already: the config loader read any file it names.
 */
export function brokerConnection(
  registered: BrokerCoordinates,
  overrides: MqOverrides,
): BrokerConnectionSettings {
  const settings: BrokerConnectionSettings = {
    host: overrides.host ?? registered.host,
    port: overrides.port ?? registered.port,
    vhost: overrides.vhost ?? registered.vhost,
    useSsl: overrides.use_ssl ?? registered.useSsl,
    user: overrides.user ?? registered.user,
    pass: overrides.pass ?? registered.pass,
  };
  if (!settings.useSsl) return settings;
  settings.tls = {
    rejectUnauthorized: overrides.use_ssl_reject_unauthorized ?? false,
    ...(overrides.use_ssl_ca === undefined ? {} : { ca: overrides.use_ssl_ca }),
    ...(overrides.use_ssl_cert === undefined ? {} : { cert: overrides.use_ssl_cert }),
    ...(overrides.use_ssl_key === undefined ? {} : { key: overrides.use_ssl_key }),
    ...(overrides.use_ssl_passphrase === undefined
      ? {}
      : { passphrase: overrides.use_ssl_passphrase }),
  };
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
