import type { CatalogueVideo } from "../eval/catalogue.js";
import { labelledCandidates } from "../eval/negatives.js";
import type { HeldOut } from "../eval/time-split.js";
import type { RecommendDeps } from "../../recommend/recommend-deps.js";
import { recommendForUser } from "../../recommend/recommendations.js";

export interface TrainingRow {
  userId: string;
  videoId: string;
  label: 0 | 1;
  features: number[];
  /** The negative kinds that sampled it; empty for a positive. */
  kinds: string[];
  /** The pair scorer's input row (pairInputs), from the same serving call. */
  pairInputs: Float32Array;
  /** The fixed blend's score as serving computed it (rows are ranked without a learned ranker). */
  blendScore?: number;
}

/**
 * Labelled rows for the ranker: each train user's held-out videos (1) and sampled negatives of
 * every kind (0), their features read from the items `recommendForUser` returns for exactly those
 * candidates: the serving code computes them, so training sees what serving will.
 */
export async function trainingRows(
  deps: RecommendDeps,
  users: HeldOut[],
  catalogue: CatalogueVideo[],
  perPositive: number,
  random: () => number,
  progress: (done: number, total: number) => void,
): Promise<TrainingRow[]> {
  const byId = new Map(catalogue.map((v) => [v.videoId, v]));
  const rows: TrainingRow[] = [];
  for (const [i, user] of users.entries()) {
    const labelled = labelledCandidates(user, catalogue, byId, perPositive, random);
    const candidates = [...labelled.keys()];
    const outcome = await recommendForUser(
      { ...deps, ranker: undefined, rerank: undefined, allFeatures: true },
      {
        userId: user.userId,
        pageSize: candidates.length,
        filters: { onlyVideoIds: candidates },
        maxPerCreator: Number.MAX_SAFE_INTEGER,
        coldStart: true,
        rerank: false,
      },
    );
    if (outcome.kind === "list") {
      for (const item of outcome.items)
        if (item.features && item.pairInputs)
          rows.push({
            userId: user.userId,
            videoId: item.videoId,
            label: labelled.get(item.videoId)!.length === 0 ? 1 : 0,
            kinds: labelled.get(item.videoId)!,
            features: item.features,
            pairInputs: item.pairInputs,
            blendScore: item.score,
          });
    }
    progress(i + 1, users.length);
  }
  return rows;
}
