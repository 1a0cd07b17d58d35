import type { CatalogueVideo } from "../eval/catalogue.js";
import { labelledCandidates, type NegativeKind } from "../eval/negatives.js";
import type { HeldOut } from "../eval/time-split.js";
import { recentCommentTexts, videoDocuments } from "../../store/rerank-texts.js";
import type { WeaviateHandle } from "../../store/weaviate-handle.js";

/** One labelled (query, document) pair for fine-tuning the cross-encoder. */
export interface FineTunePair {
  user: string;
  videoId: string;
  /** The user's query as serving builds it: their newest comment texts. */
  query: string;
  /** The video's document, the text it was embedded from. */
  doc: string;
  label: 0 | 1;
  /** Which negative kinds sampled this video for this user (empty for a positive). */
  kinds: NegativeKind[];
}

/**
 * Pairs for the cross-encoder from the training split: each train user's held-out videos (1) and
 * sampled negatives of every kind (0). Both sides are read from the store by the functions the
 * rerank stage calls, so the model trains on exactly the texts it will score.
 */
export async function fineTunePairs(
  weaviate: WeaviateHandle,
  users: HeldOut[],
  catalogue: CatalogueVideo[],
  perPositive: number,
  random: () => number,
  progress: (done: number, total: number) => void,
): Promise<FineTunePair[]> {
  const byId = new Map(catalogue.map((v) => [v.videoId, v]));
  const pairs: FineTunePair[] = [];
  for (const [i, user] of users.entries()) {
    const kindsOf = labelledCandidates(user, catalogue, byId, perPositive, random);
    const [texts, docs] = await Promise.all([
      recentCommentTexts(weaviate, user.userId),
      videoDocuments(weaviate, [...kindsOf.keys()]),
    ]);
    const query = texts.join(" ");
    if (query.trim() !== "") {
      for (const [videoId, kinds] of kindsOf) {
        const doc = docs.get(videoId);
        if (doc !== undefined)
          pairs.push({ user: user.userId, videoId, query, doc, label: kinds.length === 0 ? 1 : 0, kinds });
      }
    }
    progress(i + 1, users.length);
  }
  return pairs;
}
