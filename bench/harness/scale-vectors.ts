import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createEncoder } from "../../src/embed/encoder.js";
import type { Config } from "../../src/platform/config/config.js";
import { REPO_ROOT } from "../../src/platform/paths.js";
import { readCatalogue, type CatalogueVideo } from "../../src/offline/eval/catalogue.js";

export const DIM = 384;
export const DEV_DATASET = join(REPO_ROOT, "..", "shared", "datasets", "tiktok-nesc-dev");

/** The dev dataset's real videos with their real vectors (one flat Float32Array, DIM per video). */
export interface RealVideos {
  videos: CatalogueVideo[];
  vectors: Float32Array;
  modelId: string;
}

/**
 * Embeds the dev dataset's video documents once with the real encoder and caches the vectors in
 * .data/scale/, keyed by the encoder: every later run reads them back in milliseconds.
 */
export async function realVideoVectors(
  models: Config["models"],
  say: (line: string) => void,
  dataset = DEV_DATASET,
): Promise<RealVideos> {
  const videos = readCatalogue(dataset);
  const encoder = await createEncoder({ modelsDir: models.dir, ...models });
  try {
    const file = join(
      REPO_ROOT,
      ".data",
      "scale",
      `real-videos-${encoder.modelId.replace(/[^\w.-]+/g, "_")}.f32`,
    );
    if (existsSync(file)) {
      const bytes = readFileSync(file);
      const vectors = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
      if (vectors.length === videos.length * DIM) return { videos, vectors, modelId: encoder.modelId };
      say(
        `scale: ${file} holds ${vectors.length / DIM} vectors, the dataset ${videos.length}: embedding again`,
      );
    }
    say(`scale: embedding the ${videos.length} real video documents once (cached in ${file})`);
    const started = performance.now();
    const embedded = await encoder.embed(videos.map((v) => v.document));
    const vectors = new Float32Array(videos.length * DIM);
    embedded.forEach((v, i) => vectors.set(v, i * DIM));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(vectors.buffer));
    say(`scale: embedded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return { videos, vectors, modelId: encoder.modelId };
  } finally {
    await encoder.dispose();
  }
}

/** A fast seeded generator (mulberry32): vector n is the same in every run and every config. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Synthetic vector `n`: a real video's vector (picked by a seeded draw) plus isotropic gaussian
 * noise of total norm ~`noise`, renormalised. Noise 0.5 puts a child at cosine ~0.89 of its
 * parent, about as close as the dataset's nearest real neighbours, so the catalogue keeps the
 * real topic clusters and each real video grows a neighbourhood of near-duplicates around it.
 * Returns the parent index too: the synthetic video borrows its creator and dates.
 */
export function syntheticVector(
  real: Float32Array,
  n: number,
  seed: number,
  noise: number,
  out = new Float32Array(DIM),
): number {
  const random = mulberry32(seed * 1_000_003 + n);
  const parents = real.length / DIM;
  const parent = Math.floor(random() * parents);
  const sigma = noise / Math.sqrt(DIM);
  let norm = 0;
  for (let d = 0; d < DIM; d += 2) {
    // Box-Muller: two gaussians per two uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - random())) * sigma;
    const theta = 2 * Math.PI * random();
    const a = real[parent * DIM + d]! + r * Math.cos(theta);
    const b = real[parent * DIM + d + 1]! + r * Math.sin(theta);
    out[d] = a;
    out[d + 1] = b;
    norm += a * a + b * b;
  }
  const inv = 1 / Math.sqrt(norm);
  for (let d = 0; d < DIM; d++) out[d] = out[d]! * inv;
  return parent;
}

/** The benches' query vectors: drawn like the catalogue's, from a seed of their own (seed + 1,000). */
export function syntheticQueries(real: Float32Array, n: number, seed: number, noise: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => {
    const q = new Float32Array(DIM);
    syntheticVector(real, i, seed + 1_000, noise, q);
    return q;
  });
}
