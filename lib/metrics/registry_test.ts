import assert from "node:assert/strict";
import { MetricsRegistry } from "./registry.ts";

Deno.test("counters, gauges and histograms render in Prometheus text format", () => {
  const registry = new MetricsRegistry();
  const counter = registry.counter("enrichments_total", "Enrichments");
  counter.inc({ vendor: "silentpush", outcome: "enriched" });
  counter.inc({ vendor: "silentpush", outcome: "enriched" }, 2);
  counter.inc({}, -5);
  registry.gauge("messages_in_flight", "In flight").set(3);
  const histogram = registry.histogram("duration_seconds", "Duration", [0.1, 1]);
  histogram.observe(0.05, { vendor: "v" });
  histogram.observe(0.5, { vendor: "v" });
  assert.equal(
    registry.render(),
    [
      "# HELP enrichments_total Enrichments",
      "# TYPE enrichments_total counter",
      'enrichments_total{vendor="silentpush",outcome="enriched"} 3',
      "# HELP messages_in_flight In flight",
      "# TYPE messages_in_flight gauge",
      "messages_in_flight 3",
      "# HELP duration_seconds Duration",
      "# TYPE duration_seconds histogram",
      'duration_seconds_bucket{vendor="v",le="0.1"} 1',
      'duration_seconds_bucket{vendor="v",le="1"} 2',
      'duration_seconds_bucket{vendor="v",le="+Inf"} 2',
      'duration_seconds_sum{vendor="v"} 0.55',
      'duration_seconds_count{vendor="v"} 2',
      "",
    ].join("\n"),
  );
  assert.equal(
    counter.value({ outcome: "enriched", vendor: "silentpush" }),
    3,
    "label order does not matter",
  );
});

Deno.test("names get pycti's namespace_subsystem_ prefix, leaving out empty parts", () => {
  assert.match(
    new MetricsRegistry({ namespace: "octi", subsystem: "sp" }).counter("x_total", "x").name,
    /^octi_sp_x_total$/,
  );
  assert.equal(
    new MetricsRegistry({ namespace: "", subsystem: "sp" }).counter("x_total", "x").name,
    "sp_x_total",
  );
  assert.equal(new MetricsRegistry().counter("x_total", "x").name, "x_total");
});

Deno.test("label values are escaped", () => {
  const registry = new MetricsRegistry();
  registry.counter("c_total", "c").inc({ v: 'a"b\\c\nd' });
  assert.match(registry.render(), /c_total\{v="a\\"b\\\\c\\nd"\} 1/);
});
