import { objectId } from "../../src/store/object-ids.js";
import { writeObjects } from "../../src/store/object-writes.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";

const WORDS =
  "skate trick park music dance pasta recipe baby morning routine football goal travel beach makeup tutorial funny cat dog street food summer city night road trip".split(
    " ",
  );

/** A random unit vector: synthetic videos have no meaning, only the catalogue's size. */
export function randomUnit(random: () => number, dim = 384): number[] {
  const v = Array.from({ length: dim }, () => random() - 0.5);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

/**
 * Writes `count` synthetic videos with random vectors and realistic properties (a dozen-word title
 * and hashtags, so rerank pairs have real length), in batches of 1,000, reporting progress.
 */
export async function writeSyntheticVideos(
  weaviate: WeaviateHandle,
  count: number,
  random: () => number,
  creatorIds: string[],
  onProgress: (done: number) => void,
): Promise<void> {
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]!);
  for (let i = 0; i < count; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - i) }, (_, k) => {
      const n = i + k;
      const properties = {
        videoId: `bench-${n}`,
        title: words(12).join(" "),
        musicTitle: words(3).join(" "),
        hashtags: words(3),
        creatorId: creatorIds[n % creatorIds.length]!,
        language: ["en", "es", "id"][n % 3]!,
        createdAt: new Date(Date.UTC(2024, 0, 1) + n * 60_000),
        playCount: Math.floor(random() * 1e6),
        commentCount: Math.floor(random() * 500),
        syncHash: "bench",
      };
      return { id: objectId("Video", `bench-${n}`), properties, vector: randomUnit(random) };
    });
    await writeObjects(weaviate, "Video", batch);
    onProgress(Math.min(i + 1000, count));
  }
}
