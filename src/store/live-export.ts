import { everyObject } from "./collections/every-object.js";
import { collection } from "./collections/typed-collections.js";
import type { CommentProps } from "./collections/comment.props.js";
import type { CreatorProps } from "./collections/creator.props.js";
import type { VideoProps } from "./collections/video.props.js";
import type { WeaviateHandle } from "./weaviate-handle.js";

type Props<T> = Omit<T, "contentHash" | "syncHash" | "video" | "bio" | "videos" | "refreshedAt">;

/** Everything ingestion wrote that a ranker's training replays: the objects and their stored vectors. */
export interface StoreHistory {
  creators: Props<CreatorProps>[];
  /** creatorId -> the bio text ingestion embedded, and its vector. */
  bios: Map<string, { text: string; vector?: Float32Array }>;
  videos: (Props<VideoProps> & { vector?: Float32Array })[];
  comments: (Props<CommentProps> & { vector?: Float32Array })[];
}

/**
 * Reads the whole ingested history of this handle's encoder generation, vectors included, by
 * cursor (no offset limit): 21 s for the dev store. Memory grows with the store: at the dev dump's
 * size (5,776 videos and 132,532 comments, 384 floats each) the vectors alone are about 210 MB,
 * read once per training run.
 */
export async function readStoreHistory(handle: WeaviateHandle): Promise<StoreHistory> {
  const strip = <T extends Record<string, unknown>>(p: T) => {
    const { contentHash: _c, syncHash: _s, refreshedAt: _r, ...rest } = p;
    return rest;
  };
  // Float32, as the encoder makes them: half the memory of the client's number arrays.
  const vectorOf = (o: { vectors?: Record<string, unknown> }) => {
    const v = o.vectors?.default as number[] | undefined;
    return v && v.length > 0 ? Float32Array.from(v) : undefined;
  };
  const creators: StoreHistory["creators"] = [];
  for await (const o of everyObject((p) => collection(handle, "Creator").query.fetchObjects(p)))
    creators.push(strip(o.properties as CreatorProps & Record<string, unknown>) as Props<CreatorProps>);
  const bios: StoreHistory["bios"] = new Map();
  for await (const o of everyObject((p) =>
    collection(handle, "CreatorBio").query.fetchObjects({ ...p, includeVector: true }),
  ))
    bios.set(o.properties.creatorId, { text: o.properties.text, vector: vectorOf(o) });
  const videos: StoreHistory["videos"] = [];
  for await (const o of everyObject((p) =>
    collection(handle, "Video").query.fetchObjects({ ...p, includeVector: true }),
  ))
    videos.push({
      ...(strip(o.properties as VideoProps & Record<string, unknown>) as Props<VideoProps>),
      vector: vectorOf(o),
    });
  const comments: StoreHistory["comments"] = [];
  for await (const o of everyObject((p) =>
    collection(handle, "Comment").query.fetchObjects({ ...p, includeVector: true }),
  ))
    comments.push({
      ...(strip(o.properties as CommentProps & Record<string, unknown>) as Props<CommentProps>),
      vector: vectorOf(o),
    });
  return { creators, bios, videos, comments };
}
