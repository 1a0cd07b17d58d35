import type { RankSignals } from "../../domain/recommended-item.js";

/** What ranking knows of a recalled candidate. */
export interface RankInput {
  videoId: string;
  creatorId: string;
  /** Cosine distance from the recall query (0 = same direction). */
  distance: number;
  createdAt: Date;
  playCount: number;
}

export interface Ranked<T> {
  item: T;
  score: number;
  signals: RankSignals;
}

/**
 * The documented fixed blend, used until a learned ranker is configured (issue 7): content
 * similarity and creator affinity weigh most (our data's strongest signals), popularity and
 * freshness break ties. Popularity and freshness are scaled within the candidate set, so the blend
 * does not drift as the catalogue ages.
 */
export const FIXED_WEIGHTS: RankSignals = { content: 0.4, affinity: 0.3, popularity: 0.15, freshness: 0.15 };

export function rankFixedBlend<T extends RankInput>(
  candidates: T[],
  affinity: ReadonlyMap<string, number> = new Map(),
  blend = FIXED_WEIGHTS,
): Ranked<T>[] {
  if (candidates.length === 0) return [];
  // A signal the user does not have (no commented creators: cold start, "more like this") does not
  // dilute the ones they do: its weight goes to content.
  const weights =
    affinity.size > 0 ? blend : { ...blend, content: blend.content + blend.affinity, affinity: 0 };
  const maxPlays = Math.log1p(Math.max(...candidates.map((c) => c.playCount)));
  const times = candidates.map((c) => c.createdAt.getTime());
  const [oldest, newest] = [Math.min(...times), Math.max(...times)];
  return candidates
    .map((item) => {
      const signals: RankSignals = {
        content: 1 - item.distance,
        affinity: affinity.get(item.creatorId) ?? 0,
        popularity: maxPlays > 0 ? Math.log1p(item.playCount) / maxPlays : 0,
        freshness: newest > oldest ? (item.createdAt.getTime() - oldest) / (newest - oldest) : 1,
      };
      return { item, score: blendScore(signals, weights), signals };
    })
    .sort((a, b) => b.score - a.score || a.item.videoId.localeCompare(b.item.videoId));
}

/** The blend of four signals under these weights. */
export function blendScore(signals: RankSignals, weights: RankSignals = FIXED_WEIGHTS): number {
  return (
    weights.content * signals.content +
    weights.affinity * signals.affinity +
    weights.popularity * signals.popularity +
    weights.freshness * signals.freshness
  );
}
