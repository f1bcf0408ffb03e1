/**
 * A small Prometheus registry: counters, gauges and histograms with labels,
 * rendered in the text exposition format (version 0.0.4). Written here rather
 * than pulled in: the format is simple and the connector needs a dozen series.
 *
 * @module
 */

type Labels = Record<string, string>;

interface Series {
  labels: Labels;
  value: number;
}

abstract class Metric {
  protected readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "gauge" | "histogram",
  ) {}

  protected entry(labels: Labels): Series {
    const key = labelKey(labels);
    let series = this.series.get(key);
    if (!series) {
      series = { labels: { ...labels }, value: 0 };
      this.series.set(key, series);
    }
    return series;
  }

  /** The current value of one series (0 when never touched). */
  value(labels: Labels = {}): number {
    return this.series.get(labelKey(labels))?.value ?? 0;
  }

  /** Renders the metric's lines. */
  render(): string[] {
    const lines = [
      `# HELP ${this.name} ${escapeHelp(this.help)}`,
      `# TYPE ${this.name} ${this.type}`,
    ];
    for (const series of this.series.values()) {
      lines.push(`${this.name}${formatLabels(series.labels)} ${formatNumber(series.value)}`);
    }
    return lines;
  }
}

/** A monotonically increasing count. */
export class Counter extends Metric {
  constructor(name: string, help: string) {
    super(name, help, "counter");
  }

  /** Adds `amount` (default 1; negative amounts are ignored). */
  inc(labels: Labels = {}, amount = 1): void {
    if (amount < 0) return;
    this.entry(labels).value += amount;
  }

  /** Makes a series visible at 0 before its first increment. */
  touch(labels: Labels = {}): void {
    this.entry(labels);
  }
}

/** A value that goes up and down. */
export class Gauge extends Metric {
  constructor(name: string, help: string) {
    super(name, help, "gauge");
  }

  /** Sets the value. */
  set(value: number, labels: Labels = {}): void {
    this.entry(labels).value = value;
  }

  /** Adds `delta` (may be negative). */
  add(delta: number, labels: Labels = {}): void {
    this.entry(labels).value += delta;
  }
}

interface HistogramSeries {
  labels: Labels;
  buckets: number[];
  sum: number;
  count: number;
}

/** Observations counted into cumulative buckets. */
export class Histogram extends Metric {
  readonly #bounds: number[];
  readonly #histograms = new Map<string, HistogramSeries>();

  constructor(name: string, help: string, bounds: readonly number[]) {
    super(name, help, "histogram");
    this.#bounds = [...bounds].sort((a, b) => a - b);
  }

  /** Records one observation. */
  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    let series = this.#histograms.get(key);
    if (!series) {
      series = { labels: { ...labels }, buckets: this.#bounds.map(() => 0), sum: 0, count: 0 };
      this.#histograms.set(key, series);
    }
    this.#bounds.forEach((bound, index) => {
      if (value <= bound) (series as HistogramSeries).buckets[index]! += 1;
    });
    series.sum += value;
    series.count += 1;
  }

  /** The number of observations of one series. */
  count(labels: Labels = {}): number {
    return this.#histograms.get(labelKey(labels))?.count ?? 0;
  }

  override render(): string[] {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} histogram`];
    for (const series of this.#histograms.values()) {
      this.#bounds.forEach((bound, index) => {
        const labels = formatLabels({ ...series.labels, le: formatNumber(bound) });
        lines.push(`${this.name}_bucket${labels} ${series.buckets[index]}`);
      });
      lines.push(
        `${this.name}_bucket${formatLabels({ ...series.labels, le: "+Inf" })} ${series.count}`,
      );
      lines.push(`${this.name}_sum${formatLabels(series.labels)} ${formatNumber(series.sum)}`);
      lines.push(`${this.name}_count${formatLabels(series.labels)} ${series.count}`);
    }
    return lines;
  }
}

/** Holds metrics and renders them; names get the `namespace_subsystem_` prefix as pycti's do. */
export class MetricsRegistry {
  readonly #metrics: Metric[] = [];
  readonly #prefix: string;

  /** Builds a registry; empty prefix parts are left out. */
  constructor(options: { namespace?: string; subsystem?: string } = {}) {
    const parts = [options.namespace, options.subsystem].filter((part) => part);
    this.#prefix = parts.length > 0 ? `${parts.join("_")}_` : "";
  }

  /** Registers a counter. */
  counter(name: string, help: string): Counter {
    return this.#add(new Counter(this.#prefix + name, help));
  }

  /** Registers a gauge. */
  gauge(name: string, help: string): Gauge {
    return this.#add(new Gauge(this.#prefix + name, help));
  }

  /** Registers a histogram with the given upper bounds. */
  histogram(name: string, help: string, bounds: readonly number[]): Histogram {
    return this.#add(new Histogram(this.#prefix + name, help, bounds));
  }

  /** The whole registry in Prometheus text format. */
  render(): string {
    return this.#metrics.flatMap((metric) => metric.render()).join("\n") + "\n";
  }

  #add<M extends Metric>(metric: M): M {
    this.#metrics.push(metric);
    return metric;
  }
}

function labelKey(labels: Labels): string {
  return Object.keys(labels).sort().map((key) => `${key}=${labels[key]}`).join(",");
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  const body = entries.map(([key, value]) =>
    `${key}="${value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"')}"`
  );
  return `{${body.join(",")}}`;
}

function formatNumber(value: number): string {
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return Number.isNaN(value) ? "NaN" : String(value);
}

function escapeHelp(help: string): string {
  return help.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
}
