import { loadClassDefinitions, referenceProperties } from "../class-schema.js";
import type { WeaviateHandle } from "../weaviate-handle.js";
import { countObjects, untypedCollection } from "./generation-copy.js";
import { GENERATION_CLASSES, type GenerationClass } from "./generation-names.js";

export interface Verification {
  ok: boolean;
  /** Per class: [serving, new]. */
  counts: Record<string, [number, number]>;
  centroidsChecked: number;
  problems: string[];
}

const CENTROIDS = ["Creator", "UserInterest", "UserVideoInterest"] as const;
const REFS = new Map(loadClassDefinitions().map((d) => [d.class, referenceProperties(d).map((p) => p.name)]));

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! * b[i]!;
  });
  return dot / Math.sqrt(na * nb);
};

/**
 * The gate before a switch: every class holds as many objects in the new generation as in the
 * serving one (Cohort aside: the app recomputes it), and a sample of each centroid class has a
 * vector equal to the mean of its references' new vectors (fresh, not left from a batch write).
 */
export async function verifyGeneration(
  serving: WeaviateHandle,
  next: WeaviateHandle,
  sample = 25,
): Promise<Verification> {
  const counts: Verification["counts"] = {};
  const problems: string[] = [];
  for (const c of GENERATION_CLASSES) {
    counts[c] = [await countObjects(serving, c), await countObjects(next, c)];
    if (c !== "Cohort" && counts[c][0] !== counts[c][1])
      problems.push(`${c}: ${counts[c][1]} objects in the new generation, ${counts[c][0]} serving`);
  }
  let centroidsChecked = 0;
  for (const c of CENTROIDS) {
    const found = await checkCentroids(next, c, sample);
    centroidsChecked += found.checked;
    problems.push(...found.problems);
  }
  return { ok: problems.length === 0, counts, centroidsChecked, problems };
}

async function checkCentroids(handle: WeaviateHandle, className: GenerationClass, sample: number) {
  const problems: string[] = [];
  const res = await untypedCollection(handle, className).query.fetchObjects({
    limit: sample,
    includeVector: true,
    returnReferences: REFS.get(className)!.map((linkOn) => ({
      linkOn,
      includeVector: true,
      returnProperties: [],
    })),
  });
  let checked = 0;
  for (const o of res.objects) {
    const refVectors: number[][] = Object.values(o.references ?? {}).flatMap((r) =>
      (r?.objects ?? [])
        .map((t: { vectors?: Record<string, unknown> }) => t.vectors?.default as number[])
        .filter((v: unknown) => Array.isArray(v)),
    );
    if (refVectors.length === 0) continue;
    checked++;
    const mean = refVectors[0]!.map((_, d) => refVectors.reduce((s, v) => s + v[d]!, 0) / refVectors.length);
    const own = o.vectors?.default as number[] | undefined;
    const cos = own && own.length ? cosine(own, mean) : 0;
    if (cos < 0.999)
      problems.push(
        `${className} ${o.uuid}: centroid not fresh (cosine ${cos.toFixed(4)} to its references' mean)`,
      );
  }
  return { checked, problems };
}
