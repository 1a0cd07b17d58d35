type Labels = Record<string, string>;

/**
 * Counters and gauges in Prometheus' text format, served at /metrics. Deliberately tiny: the
 * service exposes a handful of series (Weaviate calls, rerank work, which provider runs, which
 * source served), not a metrics framework.
 */
export function createMetrics() {
  const counters = new Map<string, { name: string; labels: Labels; value: number }>();
  const gauges = new Map<string, { name: string; labels: Labels; read: () => number; type: "gauge" | "counter" }>();
  const help = new Map<string, string>();
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
