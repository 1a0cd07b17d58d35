import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { videoDocument } from "../../domain/documents.js";
import { hashtagsOf } from "../../ingest/sources/mapping.js";

/** What the evaluation knows of each video, read from the dump (the same files ingestion reads). */
export interface CatalogueVideo {
  videoId: string;
  creatorId: string;
  createdAt: number;
  playCount: number;
  document: string;
}

export function readCatalogue(dumpDir: string): CatalogueVideo[] {
  const out: CatalogueVideo[] = [];
  for (const file of readdirSync(join(dumpDir, "posts"))
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    // The dump's raw posts, read field by field with a default for each.
    const body = JSON.parse(readFileSync(join(dumpDir, "posts", file), "utf8")) as {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      videos?: Record<string, any>[];
    };
    for (const v of body.videos ?? []) {
      const title = String(v.title ?? "");
      out.push({
        videoId: String(v.video_id),
        creatorId: String(v.author?.id ?? file.slice(0, -5)),
        createdAt: Number(v.create_time ?? 0),
        playCount: Number(v.play_count ?? 0),
        document: videoDocument({
          title,
          musicTitle: String(v.music_info?.title ?? ""),
          hashtags: hashtagsOf(title),
        }),
      });
    }
  }
  return out;
}
