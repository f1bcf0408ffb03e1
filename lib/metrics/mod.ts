/**
 * Prometheus metrics and the health endpoints.
 *
 * @module
 */

export { ConnectorMetrics } from "./connector_metrics.ts";
export { Counter, Gauge, Histogram, MetricsRegistry } from "./registry.ts";
export {
  DEFAULT_METRICS_HOST,
  type MetricsServer,
  type MetricsServerOptions,
  startMetricsServer,
} from "./server.ts";
