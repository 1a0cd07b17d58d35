import type { Encoder } from "../../embed/encoder.js";
import type { CatalogueVideo } from "../eval/catalogue.js";
import { meanDefined, rocAuc } from "../eval/metrics.js";
import { NEGATIVE_KINDS, sampleNegatives, type NegativeKind } from "../eval/negatives.js";
import type { HeldOut } from "../eval/time-split.js";
import { recentCommentTexts, videoDocuments } from "../../store/rerank-texts.js";
import type { WeaviateHandle } from "../../store/weaviate-handle.js";

/** One held-out user's query and the documents the evaluation's negatives sample for them. */
export interface EncoderEvalUser {
  query: string;
  positives: string[];
  negatives: Record<NegativeKind, string[]>;
}

export type KindAuc = Record<NegativeKind, number | null>;

/**
 * The evaluation's three negative kinds (src/offline/eval/negatives.ts) for users the fine-tune
 * never saw: their query (newest comments) and the documents of their held-out videos and of
 * `perPositive` negatives of each kind, read from the store as the rerank stage reads them.
 */
export async function encoderEvalSet(
  weaviate: WeaviateHandle,
  users: HeldOut[],
  catalogue: CatalogueVideo[],
  perPositive: number,
  random: () => number,
): Promise<EncoderEvalUser[]> {
  const byId = new Map(catalogue.map((v) => [v.videoId, v]));
  const set: EncoderEvalUser[] = [];
  for (const user of users) {
    const negs = sampleNegatives(user, catalogue, byId, perPositive, random);
    const [texts, docs] = await Promise.all([
      recentCommentTexts(weaviate, user.userId),
      videoDocuments(weaviate, [...user.heldOutVideoIds, ...NEGATIVE_KINDS.flatMap((k) => negs[k])]),
    ]);
    const pick = (ids: string[]) => ids.map((v) => docs.get(v)).filter((d): d is string => d !== undefined);
    const positives = pick(user.heldOutVideoIds);
    if (texts.length === 0 || positives.length === 0) continue;
    set.push({
      query: texts.join(" "),
      positives,
      negatives: { random: pick(negs.random), hard: pick(negs.hard), matched: pick(negs.matched) },
    });
  }
  return set;
}

/**
 * The content signal alone: mean per-user ROC AUC of cosine(query, document) for the positives
 * against each negative kind, every text embedded directly by `encoder` (no index involved).
 */
export async function encoderAuc(encoder: Encoder, set: EncoderEvalUser[]): Promise<KindAuc> {
  const texts = [
    ...new Set(
      set.flatMap((u) => [u.query, ...u.positives, ...NEGATIVE_KINDS.flatMap((k) => u.negatives[k])]),
    ),
  ];
  const vectors = await encoder.embed(texts);
  const byText = new Map(texts.map((t, i) => [t, vectors[i]!]));
  const cos = (a: string, b: string) => {
    const x = byText.get(a)!;
    const y = byText.get(b)!;
    let dot = 0;
    for (let i = 0; i < x.length; i++) dot += x[i]! * y[i]!;
    return dot; // both L2-normalised
  };
  const result = {} as KindAuc;
  for (const kind of NEGATIVE_KINDS) {
    const aucs = set.map((u) =>
      rocAuc(
        u.positives.map((d) => cos(u.query, d)),
        u.negatives[kind].map((d) => cos(u.query, d)),
      ),
    );
    const mean = meanDefined(aucs);
    result[kind] = mean === undefined ? null : Math.round(mean * 10_000) / 10_000;
  }
  return result;
}
