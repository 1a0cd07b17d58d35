import { Counter, Gauge, Histogram, Registry } from "prom-client";

type Labels = Record<string, string>;

/**
 * Counters, gauges and histograms served at /metrics in Prometheus' text format, kept by
 * prom-client in a registry of this instance's own (never the global one: tests make several in
 * one process). A series is created on first use with the label names of that first use, so
 * callers keep using one label set per name, and keep label values bounded (see
 * operationLabeller in app/service-metrics.ts).
 */
export function createMetrics() {
  const registry = new Registry();
  const help = new Map<string, string>();
  const bounds = new Map<string, number[]>();
  const counters = new Map<string, Counter<string>>();
  const histograms = new Map<string, Histogram<string>>();
  const readers = new Map<string, Map<string, { labels: Labels; read: () => number }>>();
  /** Counter totals, for value(): prom-client reads its own asynchronously. */
  const totals = new Map<string, number>();
  const helpOf = (name: string) => help.get(name) ?? name; // prom-client insists on a HELP text
  return {
    /** The prom-client registry behind this instance (process-metrics.ts adds the default series to it). */
    registry,
    describe(name: string, text: string): void {
      help.set(name, text);
      const existing = registry.getSingleMetric(name) as unknown as { help: string } | undefined;
      if (existing) existing.help = text;
    },
    count(name: string, labels: Labels, n = 1): void {
      let counter = counters.get(name);
      if (!counter) {
        counter = new Counter({
          name,
          help: helpOf(name),
          labelNames: Object.keys(labels),
          registers: [registry],
        });
        counters.set(name, counter);
      }
      counter.inc(labels, n);
      const key = id(name, labels);
      totals.set(key, (totals.get(key) ?? 0) + n);
    },
    /** A series read when scraped: a gauge, or a counter kept elsewhere (type "counter"). */
    gauge(name: string, labels: Labels, read: () => number, type: "gauge" | "counter" = "gauge"): void {
      let series = readers.get(name);
      if (!series) {
        const all = new Map<string, { labels: Labels; read: () => number }>();
        series = all;
        readers.set(name, all);
        const config = { name, help: helpOf(name), labelNames: Object.keys(labels), registers: [registry] };
        if (type === "gauge") {
          new Gauge({
            ...config,
            collect() {
              for (const s of all.values()) this.set(s.labels, s.read());
            },
          });
        } else {
          new Counter({
            ...config,
            collect() {
              this.reset();
              for (const s of all.values()) this.inc(s.labels, s.read());
            },
          });
        }
      }
      series.set(id(name, labels), { labels, read });
    },
    /** Declares a histogram and its upper bounds (ascending); +Inf is implied. */
    histogram(name: string, text: string, upperBounds: number[]): void {
      help.set(name, text);
      bounds.set(name, upperBounds);
    },
    /** One observation of a declared histogram. */
    observe(name: string, labels: Labels, value: number): void {
      let histogram = histograms.get(name);
      if (!histogram) {
        const upper = bounds.get(name);
        if (!upper) throw new Error(`histogram ${name} was never declared`);
        histogram = new Histogram({
          name,
          help: helpOf(name),
          labelNames: Object.keys(labels),
          buckets: upper,
          registers: [registry],
        });
        histograms.set(name, histogram);
      }
      histogram.observe(labels, value);
    },
    /** The current value of one counter (0 when never counted). */
    value(name: string, labels: Labels): number {
      return totals.get(id(name, labels)) ?? 0;
    },
    /** The registry in Prometheus' text format. */
    async render(): Promise<string> {
      // prom-client writes a bucket's `le` first; it has always come last here (after the series'
      // own labels, as Prometheus' Go client writes it), and scrapers of this text look for that.
      return (await registry.metrics()).replace(/^(\w+_bucket)\{(le="[^"]*"),(.*)\}( \S+)$/gm, "$1{$3,$2}$4");
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

function id(name: string, labels: Labels): string {
  return `${name}${JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
}
