import type { CatalogueVideo } from "./catalogue.js";
import type { HeldOut } from "./time-split.js";

export type NegativeKind = "random" | "hard" | "matched";
export const NEGATIVE_KINDS: NegativeKind[] = ["random", "hard", "matched"];

const FORTNIGHT = 14 * 86_400;

/**
 * Negatives for one user, `perPositive` of each kind per held-out video, never a video the user
 * engaged with: random catalogue videos; "hard": videos by creators the user commented on before
 * the split; "matched": videos posted within 14 days of a positive. Fewer when the pool is short.
 */
export function sampleNegatives(
  user: HeldOut,
  catalogue: CatalogueVideo[],
  byId: Map<string, CatalogueVideo>,
  perPositive: number,
  random: () => number,
): Record<NegativeKind, string[]> {
  const engaged = new Set([...user.trainVideoIds, ...user.heldOutVideoIds]);
  const creators = new Set(user.trainVideoIds.map((v) => byId.get(v)?.creatorId).filter(Boolean));
  const want = perPositive * user.heldOutVideoIds.length;
  const pick = (pool: CatalogueVideo[]) => {
    const candidates = pool.filter((v) => !engaged.has(v.videoId));
    const chosen = new Set<string>();
    for (let tries = 0; chosen.size < Math.min(want, candidates.length) && tries < want * 20; tries++)
      chosen.add(candidates[Math.floor(random() * candidates.length)]!.videoId);
    return [...chosen];
  };
  const matched = new Set<CatalogueVideo>();
  for (const p of user.heldOutVideoIds) {
    const t = byId.get(p)?.createdAt;
    if (t === undefined) continue;
    for (const v of catalogue) if (Math.abs(v.createdAt - t) <= FORTNIGHT) matched.add(v);
  }
  return {
    random: pick(catalogue),
    hard: pick(catalogue.filter((v) => creators.has(v.creatorId))),
    matched: pick([...matched]),
  };
}

/**
 * One user's labelled candidates for training: each held-out video of the catalogue (no kinds: a
 * positive), then each sampled negative with the kinds that sampled it.
 */
export function labelledCandidates(
  user: HeldOut,
  catalogue: CatalogueVideo[],
  byId: Map<string, CatalogueVideo>,
  perPositive: number,
  random: () => number,
): Map<string, NegativeKind[]> {
  const negs = sampleNegatives(user, catalogue, byId, perPositive, random);
  const kindsOf = new Map<string, NegativeKind[]>(
    user.heldOutVideoIds.filter((v) => byId.has(v)).map((v) => [v, []]),
  );
  for (const kind of NEGATIVE_KINDS)
    for (const v of negs[kind]) kindsOf.set(v, [...(kindsOf.get(v) ?? []), kind]);
  return kindsOf;
}
