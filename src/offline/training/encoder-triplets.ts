import type { Encoder } from "../../embed/encoder.js";
import type { HeldOut } from "../eval/time-split.js";
import { recentCommentTexts, videoDocuments } from "../../store/rerank-texts.js";
import { nearVideos } from "../../store/video-search.js";
import type { WeaviateHandle } from "../../store/weaviate-handle.js";

/** One (query, positive, hard negative) triplet for fine-tuning the bi-encoder. */
export interface EncoderTriplet {
  user: string;
  /** The user's query as the rerank stage builds it: their newest comment texts. */
  query: string;
  positiveId: string;
  /** The held-out video's document, the text it is embedded from. */
  positive: string;
  negativeId: string;
  /** A video our own index puts near the query that the user never commented on. */
  negative: string;
}

/** How deep in the index's answer hard negatives are taken from (past the user's own videos). */
const NEIGHBOURS = 40;

/**
 * Triplets from the training split: for each user, their newest comments as the query, each
 * held-out video as a positive, and as its hard negative the next video our own Weaviate index
 * returns for the query's embedding that the user never engaged with (before or after the split).
 * The index's nearest non-engaged videos are exactly the ones the encoder confuses with a
 * positive today, so they teach it more than random ones.
 */
export async function mineTriplets(
  weaviate: WeaviateHandle,
  encoder: Encoder,
  users: HeldOut[],
  limit: number,
  progress: (done: number, total: number) => void,
): Promise<EncoderTriplet[]> {
  const triplets: EncoderTriplet[] = [];
  for (const [i, user] of users.entries()) {
    if (triplets.length >= limit) break;
    const query = (await recentCommentTexts(weaviate, user.userId)).join(" ");
    if (query.trim() !== "") {
      const [vector] = await encoder.embed([query]);
      const engaged = new Set([...user.trainVideoIds, ...user.heldOutVideoIds]);
      const hits = await nearVideos(weaviate, Array.from(vector!), {}, NEIGHBOURS);
      const hard = hits.map((h) => h.videoId).filter((v) => !engaged.has(v));
      const docs = await videoDocuments(weaviate, [...user.heldOutVideoIds, ...hard]);
      const positives = user.heldOutVideoIds.filter((v) => docs.has(v));
      for (const [k, positiveId] of positives.entries()) {
        const negativeId = hard[k % Math.max(hard.length, 1)];
        if (negativeId === undefined || triplets.length >= limit) break;
        triplets.push({
          user: user.userId,
          query,
          positiveId,
          positive: docs.get(positiveId)!,
          negativeId,
          negative: docs.get(negativeId)!,
        });
      }
    }
    progress(i + 1, users.length);
  }
  return triplets;
}
