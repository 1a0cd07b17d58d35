type Labels = Record<string, string>;

/**
 * Counters, gauges and histograms in Prometheus' text format, served at /metrics. Deliberately
 * tiny: the service exposes a handful of series (Weaviate calls and errors, request and stage
 * latencies, rerank work, ingestion runs), not a metrics framework. Callers keep label values
 * bounded (see operation-label.ts).
 */
export function createMetrics() {
  const counters = new Map<string, { name: string; labels: Labels; value: number }>();
  const gauges = new Map<string, { name: string; labels: Labels; read: () => number; type: "gauge" | "counter" }>();
  const help = new Map<string, string>();
  const bounds = new Map<string, number[]>();
  const histograms = new Map<string, { name: string; labels: Labels; buckets: number[]; sum: number; count: number }>();
  const id = (name: string, labels: Labels) => `${name}${renderLabels(labels)}`;
  return {
    describe(name: string, text: string): void {
      help.set(name, text);
    },
    count(name: string, labels: Labels, n = 1): void {
      const key = id(name, labels);
      const c = counters.get(key) ?? { name, labels, value: 0 };
      c.value += n;
      counters.set(key, c);
    },
    /** A series read when scraped: a gauge, or a counter kept elsewhere (type "counter"). */
    gauge(name: string, labels: Labels, read: () => number, type: "gauge" | "counter" = "gauge"): void {
      gauges.set(id(name, labels), { name, labels, read, type });
    },
    /** Declares a histogram and its upper bounds (ascending); +Inf is implied. */
    histogram(name: string, text: string, upperBounds: number[]): void {
      help.set(name, text);
      bounds.set(name, upperBounds);
    },
    /** One observation of a declared histogram. */
    observe(name: string, labels: Labels, value: number): void {
      const upper = bounds.get(name);
      if (!upper) throw new Error(`histogram ${name} was never declared`);
      const key = id(name, labels);
      const h = histograms.get(key) ?? { name, labels, buckets: upper.map(() => 0), sum: 0, count: 0 };
      upper.forEach((le, i) => value <= le && h.buckets[i]!++);
      h.sum += value;
      h.count++;
      histograms.set(key, h);
    },
    /** The current value of one counter (0 when never counted). */
    value(name: string, labels: Labels): number {
      return counters.get(id(name, labels))?.value ?? 0;
    },
    render(): string {
      const lines: string[] = [];
      const seen = new Set<string>();
      const head = (name: string, type: string) => {
        if (seen.has(name)) return;
        seen.add(name);
        if (help.has(name)) lines.push(`# HELP ${name} ${help.get(name)}`);
        lines.push(`# TYPE ${name} ${type}`);
      };
      for (const c of [...counters.values()].sort((a, b) => a.name.localeCompare(b.name))) {
        head(c.name, "counter");
        lines.push(`${id(c.name, c.labels)} ${c.value}`);
      }
      for (const h of [...histograms.values()].sort((a, b) => a.name.localeCompare(b.name))) {
        head(h.name, "histogram");
        bounds.get(h.name)!.forEach((le, i) => lines.push(`${id(`${h.name}_bucket`, { ...h.labels, le: String(le) })} ${h.buckets[i]}`));
        lines.push(`${id(`${h.name}_bucket`, { ...h.labels, le: "+Inf" })} ${h.count}`);
        lines.push(`${id(`${h.name}_sum`, h.labels)} ${h.sum}`);
        lines.push(`${id(`${h.name}_count`, h.labels)} ${h.count}`);
      }
      for (const g of gauges.values()) {
        head(g.name, g.type);
        lines.push(`${id(g.name, g.labels)} ${g.read()}`);
      }
      return `${lines.join("\n")}\n`;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

function renderLabels(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}
