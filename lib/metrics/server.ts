/**
 * The metrics and health listener (CONNECTOR_EXPOSE_METRICS, address
 * CONNECTOR_METRICS_HOST, port CONNECTOR_METRICS_PORT): `/metrics` in
 * Prometheus text format, `/healthz` (the process is alive) and `/readyz`
 * (registered and consuming; 503 otherwise). An address it cannot bind is a
 * configuration problem, reported as a `ConfigError` on the setting to change.
 *
 * @module
 */

import { ConfigError } from "../errors/mod.ts";

/** The address bound when none is given: every IPv4 interface, as pycti's Prometheus server. */
export const DEFAULT_METRICS_HOST = "0.0.0.0";

/** A running listener. */
export interface MetricsServer {
  /** The address bound. */
  readonly host: string;
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** The port (CONNECTOR_METRICS_PORT); 0 picks a free one. */
  port: number;
  /** The address to bind (CONNECTOR_METRICS_HOST); default {@link DEFAULT_METRICS_HOST}. */
  host?: string;
  /** @deprecated The former name of `host`, read when `host` is absent. */
  hostname?: string;
  /** Renders `/metrics`. */
  metrics(): string;
  /** True when the connector is ready. */
  ready(): boolean;
}

/** Starts the listener; a busy port or an address it cannot bind throws a `ConfigError`. */
export function startMetricsServer(options: MetricsServerOptions): MetricsServer {
  const host = options.host ?? options.hostname ?? DEFAULT_METRICS_HOST;
  const abort = new AbortController();
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      signal: abort.signal,
      port: options.port,
      hostname: host,
      onListen: () => {},
    }, (request) => handle(request, options));
  } catch (error) {
    throw bindFailure(error, host, options.port);
  }
  return {
    host: server.addr.hostname,
    port: server.addr.port,
    async close() {
      // A scraper's idle keep-alive connection must not hold the process: give
      // in-flight answers a moment, then stop listening regardless.
      const timer = setTimeout(() => abort.abort(), 1_000);
      try {
        await server.shutdown();
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function handle(request: Request, options: MetricsServerOptions): Response {
  if (request.method !== "GET" && request.method !== "HEAD") {
    return new Response("Method not allowed\n", { status: 405, headers: { allow: "GET, HEAD" } });
  }
  const path = new URL(request.url).pathname;
  switch (path) {
    case "/metrics":
      return new Response(options.metrics(), {
        headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
      });
    case "/healthz":
      return new Response("ok\n", { headers: { "content-type": "text/plain" } });
    case "/readyz":
      return options.ready()
        ? new Response("ready\n", { headers: { "content-type": "text/plain" } })
        : new Response("not ready\n", { status: 503, headers: { "content-type": "text/plain" } });
    default:
      return new Response("Not found\n", { status: 404 });
  }
}

/** Turns the errors of binding into the setting an operator changes; anything else is rethrown as is. */
function bindFailure(error: unknown, host: string, port: number): unknown {
  const summary = "Cannot start the metrics listener";
  if (error instanceof Deno.errors.AddrInUse) {
    return new ConfigError([{
      path: "connector.metrics_port",
      env: "CONNECTOR_METRICS_PORT",
      message:
        `port ${port} is already in use on ${host}; choose another CONNECTOR_METRICS_PORT or stop the other process`,
    }], { summary, cause: error });
  }
  const unresolved = error instanceof Error && /failed to lookup address/i.test(error.message);
  if (error instanceof Deno.errors.AddrNotAvailable || unresolved) {
    const why = unresolved
      ? `host "${host}" does not resolve`
      : `address "${host}" is not an address of this machine`;
    return new ConfigError([{
      path: "connector.metrics_host",
      env: "CONNECTOR_METRICS_HOST",
      message: `${why}; choose another CONNECTOR_METRICS_HOST (0.0.0.0 listens on every interface)`,
    }], { summary, cause: error });
  }
  return error;
}
