/**
 * The metrics and health listener (CONNECTOR_EXPOSE_METRICS, port
 * CONNECTOR_METRICS_PORT): `/metrics` in Prometheus text format, `/healthz`
 * (the process is alive) and `/readyz` (registered and consuming; 503
 * otherwise).
 *
 * @module
 */

/** A running listener. */
export interface MetricsServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  port: number;
  /** Default all interfaces, as pycti's Prometheus server. */
  hostname?: string;
  /** Renders `/metrics`. */
  metrics(): string;
  /** True when the connector is ready. */
  ready(): boolean;
}

/** Starts the listener. */
export function startMetricsServer(options: MetricsServerOptions): MetricsServer {
  const abort = new AbortController();
  const server = Deno.serve({
    signal: abort.signal,
    port: options.port,
    hostname: options.hostname ?? "0.0.0.0",
    onListen: () => {},
  }, (request) => {
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
  });
  return {
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
