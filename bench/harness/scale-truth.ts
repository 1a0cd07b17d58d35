import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "../../src/platform/paths.js";
import { ExactTopK } from "./scale-exact.js";

/**
 * The exact top 200 of each catalogue size, kept in one JSON file per catalogue (seed, noise,
 * queries, encoder): the catalogue is the same for every config, every run and both benches
 * (bench:scale and bench:sharding), so it is scanned once.
 */
export class ExactTruth {
  readonly file: string;
  private readonly bySize: Record<string, number[][]>;

  constructor(key: { seed: number; noise: number; queries: number; modelId: string }) {
    const model = key.modelId.replace(/[^\w.-]+/g, "_");
    this.file = join(
      REPO_ROOT,
      ".data",
      "scale",
      `exact-s${key.seed}-n${key.noise}-q${key.queries}-${model}.json`,
    );
    this.bySize = existsSync(this.file) ? JSON.parse(readFileSync(this.file, "utf8")) : {};
  }

  /** A scan to feed the import with, when any of these sizes is not known yet. */
  scanFor(queries: Float32Array[], sizes: number[]): ExactTopK | undefined {
    return sizes.some((s) => !this.bySize[s]) ? new ExactTopK(queries, 200) : undefined;
  }

  /** Records what the scan knows at `size` (when there is one), then answers the truth at that size. */
  at(size: number, scan: ExactTopK | undefined, queries: number): Set<number>[] {
    if (scan) {
      this.bySize[size] = Array.from({ length: queries }, (_, q) => [...scan.topIds(q)]);
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(this.file, JSON.stringify(this.bySize));
    }
    return this.bySize[size]!.map((ids) => new Set(ids));
  }
}
