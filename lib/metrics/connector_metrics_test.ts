import assert from "node:assert/strict";
import { ConnectorMetrics } from "./connector_metrics.ts";

Deno.test("vendor cache hits and misses are counted per vendor under the configured prefixes", () => {
  const metrics = new ConnectorMetrics({ namespace: "octi", subsystem: "enrich" });
  metrics.vendorCache("silentpush", true);
  metrics.vendorCache("silentpush", true);
  metrics.vendorCache("silentpush", false);
  metrics.vendorCache("proofpoint-et", false);
  const text = metrics.registry.render();
  assert.match(
    text,
    /^# HELP octi_enrich_vendor_cache_hits_total .+\n# TYPE octi_enrich_vendor_cache_hits_total counter\nocti_enrich_vendor_cache_hits_total\{vendor="silentpush"\} 2$/m,
  );
  assert.match(text, /^# TYPE octi_enrich_vendor_cache_misses_total counter$/m);
  assert.match(text, /^octi_enrich_vendor_cache_misses_total\{vendor="silentpush"\} 1$/m);
  assert.match(text, /^octi_enrich_vendor_cache_misses_total\{vendor="proofpoint-et"\} 1$/m);
  assert.doesNotMatch(text, /vendor_cache_hits_total\{vendor="proofpoint-et"\}/);
});

Deno.test("time waited for vendor rate limits is counted in seconds per vendor", () => {
  const metrics = new ConnectorMetrics();
  metrics.vendorRateLimited("proofpoint-et", 1_500);
  metrics.vendorRateLimited("proofpoint-et", 250);
  metrics.vendorRateLimited("silentpush", 0);
  const text = metrics.registry.render();
  assert.match(text, /^# TYPE vendor_rate_limited_seconds_total counter$/m);
  assert.match(text, /^vendor_rate_limited_seconds_total\{vendor="proofpoint-et"\} 1\.75$/m);
  assert.match(text, /^vendor_rate_limited_seconds_total\{vendor="silentpush"\} 0$/m);
});
