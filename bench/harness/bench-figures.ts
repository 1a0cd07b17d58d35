import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, loadavg } from "node:os";
import { REPO_ROOT } from "../../src/platform/paths.js";

/**
 * Measured figures that other commands read (`npm run cost` prices them): each bench saves what
 * it measured under `.data/bench-figures/<bench>.json`, with when, where and on what it ran, so
 * the cost model can say which inputs were measured where. A later run of the same bench
 * replaces its file.
 */
export const FIGURES_DIR = join(REPO_ROOT, ".data", "bench-figures");

export interface BenchFigures {
  bench: string;
  measuredAt: string;
  machine: { cores: number; cpu: string; loadAverage1m: number };
  /** The command line that produced them. */
  command: string;
  figures: Record<string, number | string | boolean>;
}

export function saveFigures(bench: string, figures: BenchFigures["figures"], dir = FIGURES_DIR): string {
  mkdirSync(dir, { recursive: true });
  const cpu = cpus();
  const entry: BenchFigures = {
    bench,
    measuredAt: new Date().toISOString(),
    machine: { cores: cpu.length, cpu: cpu[0]?.model ?? "unknown", loadAverage1m: loadavg()[0]! },
    command: ["npm run", bench, ...process.argv.slice(2)].join(" "),
    figures,
  };
  const file = join(dir, `${bench}.json`);
  writeFileSync(file, `${JSON.stringify(entry, null, 2)}\n`);
  return file;
}

/** Every saved bench's figures, by bench name; an unreadable file is reported, not skipped. */
export function loadFigures(dir = FIGURES_DIR): Map<string, BenchFigures> {
  const found = new Map<string, BenchFigures>();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    return found;
  }
  for (const f of files) {
    try {
      const entry = JSON.parse(readFileSync(join(dir, f), "utf8")) as BenchFigures;
      found.set(entry.bench, entry);
    } catch (err) {
      throw new Error(`${join(dir, f)} is not a bench figures file: ${(err as Error).message}`);
    }
  }
  return found;
}
