/** A measured total (bytes of memory or disk) at a catalogue size. */
export interface SizePoint {
  size: number;
  bytes: number;
}

export interface LinearFit {
  /** Bytes that do not grow with the catalogue (the process, the schema, empty LSM stores). */
  fixedBytes: number;
  /** Bytes each vector adds: its (compressed) vector, its HNSW links, its object. */
  bytesPerVector: number;
  /** (fitted - measured) / measured at each measured size. */
  errors: { size: number; measured: number; fitted: number; relError: number }[];
  maxAbsRelError: number;
  /**
   * The check: fitted on every size but the largest, how far off the largest it lands
   * ((predicted - measured) / measured); undefined with fewer than three sizes.
   */
  holdOutRelError?: number;
}

/**
 * Least-squares fit of total bytes = fixed + perVector * N. HNSW costs a constant per vector
 * (the vector, compressed or not, and up to 2 x maxConnections links on layer 0, fewer above),
 * so the total is linear in N and bytes per vector (fixed / N + perVector) falls towards the
 * slope as the catalogue grows.
 */
export function fitLinear(points: SizePoint[]): LinearFit {
  if (points.length < 2) throw new Error(`a fit needs at least two sizes, got ${points.length}`);
  const line = leastSquares(points);
  const errors = points.map((p) => {
    const fitted = line.fixed + line.slope * p.size;
    return { size: p.size, measured: p.bytes, fitted, relError: (fitted - p.bytes) / p.bytes };
  });
  const sorted = [...points].sort((a, b) => a.size - b.size);
  let holdOutRelError: number | undefined;
  if (sorted.length >= 3) {
    const largest = sorted[sorted.length - 1]!;
    const rest = leastSquares(sorted.slice(0, -1));
    holdOutRelError = (rest.fixed + rest.slope * largest.size - largest.bytes) / largest.bytes;
  }
  return {
    fixedBytes: line.fixed,
    bytesPerVector: line.slope,
    errors,
    maxAbsRelError: Math.max(...errors.map((e) => Math.abs(e.relError))),
    holdOutRelError,
  };
}

export function project(fit: LinearFit, size: number): number {
  return fit.fixedBytes + fit.bytesPerVector * size;
}

function leastSquares(points: SizePoint[]): { fixed: number; slope: number } {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.size, 0) / n;
  const my = points.reduce((s, p) => s + p.bytes, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.size - mx) ** 2, 0);
  if (sxx === 0) throw new Error("a fit needs at least two distinct sizes");
  const slope = points.reduce((s, p) => s + (p.size - mx) * (p.bytes - my), 0) / sxx;
  return { fixed: my - slope * mx, slope };
}
