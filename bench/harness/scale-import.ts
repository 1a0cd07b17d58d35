import { objectId } from "../../src/store/object-ids.js";
import { writeObjects } from "../../src/store/object-writes.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";
import { scaleVideoProperties } from "./synthetic-catalogue.js";
import { DIM, mulberry32, syntheticVector, type RealVideos } from "./scale-vectors.js";

export type Writer = "rest" | "grpc";

export interface ImportOptions {
  real: RealVideos;
  seed: number;
  noise: number;
  batchSize: number;
  /** Batches in flight at once: one is being generated while Weaviate indexes the other. */
  concurrency: number;
  writer: Writer;
  /** Sees each generated chunk (flat vectors, DIM each) and the index of its first video. */
  onChunk?: (vectors: Float32Array, firstId: number) => void;
  onProgress?: (done: number) => void;
}

/** The id Weaviate stores scale-catalogue video n under. */
export const scaleUuid = (n: number) => objectId("Video", `scale-${n}`);

/**
 * Imports scale-catalogue videos [from, to) in batches: REST /v1/batch/objects through our
 * writeObjects, or the client's gRPC insertMany (measure which is faster with --writer).
 */
export async function importScaleVideos(
  handle: WeaviateHandle,
  from: number,
  to: number,
  opts: ImportOptions,
): Promise<void> {
  const videos = handle.client.collections.get("Video");
  const inFlight = new Set<Promise<void>>();
  for (let start = from; start < to; start += opts.batchSize) {
    const end = Math.min(to, start + opts.batchSize);
    const flat = new Float32Array((end - start) * DIM);
    const objects: { id: string; properties: ReturnType<typeof scaleVideoProperties>; vector: number[] }[] =
      [];
    for (let n = start; n < end; n++) {
      const out = flat.subarray((n - start) * DIM, (n - start + 1) * DIM);
      const parent = opts.real.videos[syntheticVector(opts.real.vectors, n, opts.seed, opts.noise, out)]!;
      const properties = scaleVideoProperties(n, parent, mulberry32(opts.seed * 7_919 + n));
      objects.push({ id: scaleUuid(n), properties, vector: Array.from(out) });
    }
    opts.onChunk?.(flat, start);
    const write = retried(async () => {
      if (opts.writer === "rest") {
        const { failed } = await writeObjects(handle, "Video", objects, { batchSize: opts.batchSize });
        if (failed.length) throw new Error(`${failed.length} videos refused: ${failed[0]!.error}`);
      } else {
        const res = await videos.data.insertMany(
          objects.map((o) => ({ id: o.id, properties: o.properties, vectors: o.vector })),
        );
        if (res.hasErrors)
          throw new Error(`insertMany refused: ${JSON.stringify(Object.values(res.errors)[0])}`);
      }
    }).then(() => opts.onProgress?.(end));
    inFlight.add(write);
    void write.finally(() => inFlight.delete(write)).catch(() => undefined);
    if (inFlight.size >= opts.concurrency) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

/**
 * A batch again after a transport failure: the exact search stalls the event loop for a second
 * per chunk, long enough for a pooled keep-alive socket to die (EPIPE); a batch upserts by id, so
 * writing it twice stores nothing twice.
 */
async function retried(write: () => Promise<void>, tries = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (
        attempt >= tries ||
        !/fetch failed|EPIPE|ECONNRESET|socket/i.test(
          String((err as Error).message) + String((err as Error).cause),
        )
      )
        throw err;
      process.stderr.write(`\nscale: batch failed (${(err as Error).message}), writing it again\n`);
    }
  }
}
