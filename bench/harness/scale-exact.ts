import { DIM } from "./scale-vectors.js";

/**
 * Exact (brute-force) top-K by cosine for a fixed set of unit queries, fed the catalogue chunk by
 * chunk as it is imported: the top K of the first N vectors is known at every size measured, and
 * no chunk is kept. Cosine of unit vectors is their dot product.
 */
export class ExactTopK {
  private readonly sims: Float32Array[];
  private readonly ids: Int32Array[];
  private readonly floor: Float32Array;
  private readonly floorAt: Int32Array;
  private filled = 0;

  constructor(
    private readonly queries: Float32Array[],
    private readonly k: number,
  ) {
    this.sims = queries.map(() => new Float32Array(k).fill(-Infinity));
    this.ids = queries.map(() => new Int32Array(k).fill(-1));
    this.floor = new Float32Array(queries.length).fill(-Infinity);
    this.floorAt = new Int32Array(queries.length);
  }

  /** Adds vectors `firstId ..` (flat, DIM each). */
  add(chunk: Float32Array, firstId: number): void {
    const count = chunk.length / DIM;
    for (let q = 0; q < this.queries.length; q++) {
      const query = this.queries[q]!;
      const sims = this.sims[q]!;
      const ids = this.ids[q]!;
      let floor = this.floor[q]!;
      let floorAt = this.floorAt[q]!;
      for (let i = 0; i < count; i++) {
        const base = i * DIM;
        let dot = 0;
        for (let d = 0; d < DIM; d += 4)
          dot +=
            query[d]! * chunk[base + d]! +
            query[d + 1]! * chunk[base + d + 1]! +
            query[d + 2]! * chunk[base + d + 2]! +
            query[d + 3]! * chunk[base + d + 3]!;
        if (dot <= floor) continue;
        sims[floorAt] = dot;
        ids[floorAt] = firstId + i;
        // A new floor: the K slots are few and replacements rare once the top K has settled.
        floor = Infinity;
        for (let s = 0; s < this.k; s++)
          if (sims[s]! < floor) {
            floor = sims[s]!;
            floorAt = s;
          }
      }
      this.floor[q] = floor;
      this.floorAt[q] = floorAt;
    }
    this.filled += count;
  }

  get size(): number {
    return this.filled;
  }

  /** The exact top-K catalogue indices of query q (unordered). */
  topIds(q: number): Set<number> {
    return new Set(Array.from(this.ids[q]!).filter((id) => id >= 0));
  }
}

/** Recall@K of approximate results against the exact ones, averaged over queries. */
export function recallAtK(exact: Set<number>[], approximate: number[][]): number {
  let sum = 0;
  for (let q = 0; q < exact.length; q++) {
    const truth = exact[q]!;
    if (truth.size === 0) continue;
    const hits = approximate[q]!.filter((id) => truth.has(id)).length;
    sum += hits / truth.size;
  }
  return sum / exact.length;
}
