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

/** What the blend knows of the user beyond affinity. */
export interface BlendContext {
  /** The user's last comment; undefined for a user with none (cold start, "more like this"). */
  lastActiveAt?: Date;
}

/**
 * The documented fixed blend, used until a learned ranker is configured (issue 7, reweighted in
 * issue 15). Priors read off the single-signal AUCs of the dev split's evaluation half (random /
 * same creators / same fortnight; docs/evaluation.md), not fitted at run time:
 * - affinity (0.929 / 0.500 / 0.929) is the strongest signal wherever the creator differs, so it
 *   dominates (0.4);
 * - among one creator's videos it says nothing; there the post time does: closeness to the user's
 *   last comment (0.749 / 0.750 / 0.524, users come back in bursts) and freshness within the
 *   candidates (0.728 / 0.744 / 0.537). Each is a weak tie breaker alone, together they reach
 *   0.786 on same-creator negatives, so both get 0.2;
 * - content (0.760 / 0.535 / 0.764) adds little on top of affinity (0.1, but all of what is left
 *   for a user without affinity, see below);
 * - popularity (0.712 / 0.535 / 0.745) separates videos of the same fortnight (0.1). Offline it
 *   reads the scrape's plays (not point-in-time); serving reads today's, which is.
 * The blend of 0.4 content, 0.3 affinity, 0.15 popularity, 0.15 freshness it replaces scored
 * 0.958 / 0.683 / 0.945: it lost to recency alone on same-creator negatives. This one scores
 * 0.968 / 0.768 / 0.951 (0.960 / 0.760 / 0.934 without popularity), above every single signal
 * in each column; the rounded weights and the 30-day scale were checked on each half of those
 * users, not searched further. Signals a user lacks move their weight to content (weightsFor).
 */
export const FIXED_WEIGHTS: RankSignals = {
  content: 0.1,
  affinity: 0.4,
  popularity: 0.1,
  freshness: 0.2,
  activity: 0.2,
};

/** Days from the user's last comment at which the activity signal halves (1 at 0 days, 0.5 at 30). */
export const ACTIVITY_SCALE_DAYS = 30;
const DAY_MS = 86_400_000;

export function rankFixedBlend<T extends RankInput>(
  candidates: T[],
  affinity: ReadonlyMap<string, number> = new Map(),
  context: BlendContext = {},
  blend = FIXED_WEIGHTS,
): Ranked<T>[] {
  if (candidates.length === 0) return [];
  const weights = weightsFor(blend, affinity.size > 0, context.lastActiveAt !== undefined);
  const maxPlays = Math.log1p(Math.max(...candidates.map((c) => c.playCount)));
  const times = candidates.map((c) => c.createdAt.getTime());
  const [oldest, newest] = [Math.min(...times), Math.max(...times)];
  const last = context.lastActiveAt?.getTime();
  return candidates
    .map((item) => {
      const signals: RankSignals = {
        content: 1 - item.distance,
        affinity: affinity.get(item.creatorId) ?? 0,
        popularity: maxPlays > 0 ? Math.log1p(item.playCount) / maxPlays : 0,
        freshness: newest > oldest ? (item.createdAt.getTime() - oldest) / (newest - oldest) : 1,
        activity:
          last === undefined
            ? 0
            : 1 / (1 + Math.abs(item.createdAt.getTime() - last) / DAY_MS / ACTIVITY_SCALE_DAYS),
      };
      return { item, score: blendScore(signals, weights), signals };
    })
    .sort((a, b) => b.score - a.score || a.item.videoId.localeCompare(b.item.videoId));
}

/**
 * A signal the user does not have (no commented creators, no last comment: cold start, "more like
 * this") does not dilute the ones they do: its weight goes to content, which is then what ranks.
 */
export function weightsFor(blend: RankSignals, hasAffinity: boolean, hasActivity: boolean): RankSignals {
  const moved = (hasAffinity ? 0 : blend.affinity) + (hasActivity ? 0 : blend.activity);
  return {
    ...blend,
    content: blend.content + moved,
    affinity: hasAffinity ? blend.affinity : 0,
    activity: hasActivity ? blend.activity : 0,
  };
}

/** The blend of the five signals under these weights. */
export function blendScore(signals: RankSignals, weights: RankSignals = FIXED_WEIGHTS): number {
  return (
    weights.content * signals.content +
    weights.affinity * signals.affinity +
    weights.popularity * signals.popularity +
    weights.freshness * signals.freshness +
    weights.activity * signals.activity
  );
}
