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

/** Languages of the scale catalogue and their shares; "fr" (5%) is the bench's selective filter. */
export const SCALE_LANGUAGES: [string, number][] = [
  ["en", 0.5],
  ["es", 0.2],
  ["id", 0.15],
  ["pt", 0.1],
  ["fr", 0.05],
];

/** What a scale-catalogue video borrows from the real video its vector was drawn around. */
export interface ParentVideo {
  creatorId: string;
  createdAt: number;
  playCount: number;
  document: string;
}

/**
 * The properties of scale-catalogue video `n`, drawn around its real parent video: the parent's
 * text, one of 300 creators per real creator (~10k in all), a creation date within 90 days of
 * the parent's, play counts scattered log-normally around the parent's, a weighted language.
 */
export function scaleVideoProperties(n: number, parent: ParentVideo, random: () => number) {
  const [title = "", music = ""] = parent.document.split(" | music: ");
  let pick = random();
  const language = SCALE_LANGUAGES.find(([, share]) => (pick -= share) < 0)?.[0] ?? "en";
  const creatorId = `${parent.creatorId}.${n % 300}`;
  const playCount = Math.floor(Math.max(1, parent.playCount) * Math.exp((random() - 0.5) * 3));
  return {
    videoId: `scale-${n}`,
    title,
    musicTitle: music.split(" | tags: ")[0] ?? "",
    hashtags: [...title.matchAll(/#(\w+)/g)].map((m) => m[1]!).slice(0, 8),
    creatorId,
    creatorUsername: `creator_${creatorId}`,
    creatorFollowers: Math.floor(1_000 * Math.exp(random() * 8)),
    language,
    createdAt: new Date((parent.createdAt + (random() - 0.5) * 180 * 86_400) * 1000),
    durationSeconds: 5 + Math.floor(random() * 175),
    playCount,
    commentCount: Math.floor(playCount * 0.002 * random()),
    likeCount: Math.floor(playCount * 0.05 * random()),
    syncHash: "scale",
  };
}
