import type { Encoder } from "../../embed/encoder.js";
import type { Logger } from "../../platform/logger.js";
import type { RecommendDeps } from "../../recommend/recommend-deps.js";
import type { RecommendedItem } from "../../domain/recommended-item.js";
import { recommendForUser } from "../../recommend/recommendations.js";
import { seededRandom } from "../../platform/seeded-random.js";
import { blendScore, FIXED_WEIGHTS } from "../../recommend/rank/fixed-blend.js";
import { FEATURES } from "../../recommend/rank/ranking-features.js";

const PAIR_SCORE_COLUMN = FEATURES.findIndex((f) => f.name === "pairScore");
import type { CrossEncoder } from "../../recommend/rerank/cross-encoder.js";
import { fuseHead } from "../../recommend/rerank/rerank-stage.js";
import { recentCommentTexts, videoDocuments } from "../../store/rerank-texts.js";
import type { WeaviateHandle } from "../../store/weaviate-handle.js";
import { createBm25 } from "./bm25.js";
import { readCatalogue, type CatalogueVideo } from "./catalogue.js";
import { gini, meanDefined, ndcgAtK, recallAtK, rocAuc } from "./metrics.js";
import { NEGATIVE_KINDS, sampleNegatives, type NegativeKind } from "./negatives.js";
import { ingestPast } from "./ingest-past.js";
import { commentsBefore, timeSplit, type HeldOut } from "./time-split.js";
import { userPartition } from "./user-partition.js";
import { sponsoredSlotPricing } from "./sponsored-slot.js";

/** Every scorer the report compares, and whether its inputs are known at the split time. */
export const SCORERS = {
  blend: { label: "served ranking (learned ranker when loaded, else the fixed blend)", pointInTime: false },
  fixedBlend: {
    label: "fixed blend (affinity, activity, freshness, content, popularity)",
    pointInTime: false,
  },
  blendPointInTime: { label: "fixed blend without its popularity term (point-in-time)", pointInTime: true },
  fused50: {
    label: "served ranking + cross-encoder on every candidate, fused at RERANK_WEIGHT 0.5",
    pointInTime: false,
  },
  fused20: {
    label: "served ranking + cross-encoder on every candidate, fused at RERANK_WEIGHT 0.2",
    pointInTime: false,
  },
  crossEncoder: { label: "signal: cross-encoder logit (--rerank-model), every candidate", pointInTime: true },
  pairScore: {
    label: "signal: the pair scorer (a --ranker-model trained with pairScore)",
    pointInTime: true,
  },
  content: { label: "signal: content (cosine to the served query vector)", pointInTime: true },
  affinity: { label: "signal: creator affinity (share of past comments on the creator)", pointInTime: true },
  popularity: { label: "signal: popularity (log plays, scaled in the candidates)", pointInTime: false },
  freshness: { label: "signal: freshness (post time, scaled in the candidates)", pointInTime: true },
  activity: {
    label: "signal: activity (post time's closeness to the user's last comment)",
    pointInTime: true,
  },
  popularPlays: { label: "baseline: popularity, log plays", pointInTime: false },
  recency: { label: "baseline: recency, post time", pointInTime: true },
  commentsBefore: { label: "baseline: comments the video had before the split (log)", pointInTime: true },
  bm25: { label: "baseline: BM25, past comments vs video document", pointInTime: true },
} as const;
export type ScorerName = keyof typeof SCORERS;

export interface EvalOptions {
  dataset: string;
  weaviate: WeaviateHandle;
  encoder: Encoder;
  /** Scores every candidate (no latency budget here), for the cross-encoder rows; absent, those rows are empty. */
  crossEncoder?: CrossEncoder;
  /** Evaluate this many users (seeded sample); all eligible users when unset. */
  users?: number;
  /** Both halves of the users (only when no learned ranker is loaded: it trained on one half). */
  allUsers?: boolean;
  ranker?: RecommendDeps["ranker"];
  seed?: number;
  perPositive?: number;
  log: Logger;
  progress: (phase: string, done: number, total: number) => void;
}

export interface EvalResult {
  eligibleUsers: number;
  evaluatedUsers: number;
  positives: number;
  negatives: Record<NegativeKind, number>;
  /** Held-out comments found in Weaviate after ingestion: must be 0. */
  leakedComments: number;
  ingestSeconds: number;
  scoreSeconds: number;
  /** Mean per-user ROC AUC, per scorer and negative kind (users without that kind's negatives skipped). */
  auc: Record<ScorerName, Record<NegativeKind, number | undefined>>;
  /** Pooled scores for ROC curves (a sample per kind), for the report's drawings. */
  pooled: Record<"blend" | "content", Record<NegativeKind, { pos: number[]; neg: number[] }>>;
  /** From the served top 50 (rules on) and without the diversity rule. */
  topK: Record<"withRules" | "withoutRules", { recallAt10?: number; recallAt50?: number; ndcgAt10?: number }>;
  /**
   * The served top 10 with a sponsored video in slot `position` (1-based), placed by the real
   * rule, over the users that got one; the losses are per-user means of (served - with the slot).
   */
  sponsoredSlot: {
    position: number;
    users: number;
    recallAt10?: number;
    ndcgAt10?: number;
    recallLossAt10?: number;
    ndcgLossAt10?: number;
  };
  coverage: number;
  creatorGini: number;
  /** Pairs the cross-encoder scored. */
  reranked: number;
  /** Whether each scorer reads only point-in-time inputs; the served rows follow the loaded ranker. */
  pointInTime: Record<ScorerName, boolean>;
}

/**
 * The offline evaluation: time split -> ingest the past only -> score positives and sampled
 * negatives through recommendForUser itself (candidates pinned by a filter) -> per-user AUC per
 * scorer and negative kind, top-K metrics from the served lists, coverage and creator exposure.
 */
export async function runEvaluation(opts: EvalOptions): Promise<EvalResult> {
  const random = seededRandom(opts.seed ?? 7);
  const split = timeSplit(opts.dataset);
  const catalogue = readCatalogue(opts.dataset);
  const byId = new Map(catalogue.map((v) => [v.videoId, v]));
  // Only the evaluation half: the learned ranker trains on the other (user-partition.ts).
  const eligible = split.users.filter(
    (u) =>
      u.heldOutVideoIds.some((v) => byId.has(v)) &&
      (opts.allUsers || userPartition(u.userId) === "evaluation"),
  );
  const users = sample(eligible, opts.users, random);

  const ingestSeconds = await ingestPast(opts.dataset, users, opts, opts.progress);
  const leakedComments = await countStoredComments(opts.weaviate, [...split.heldOutCommentIds]);

  const deps: RecommendDeps = {
    weaviate: opts.weaviate,
    ranker: opts.ranker,
    coldStart: { minComments: 3, minMembers: 3 },
    allFeatures: true,
  };
  const scorers = (Object.keys(SCORERS) as ScorerName[]).filter(
    (name) =>
      (opts.crossEncoder || !CROSS_ENCODER_ROWS.includes(name)) &&
      (name !== "pairScore" || opts.ranker?.pairScorer !== undefined),
  );
  const bm25 = createBm25(new Map(catalogue.map((v) => [v.videoId, v.document])));
  const perUser: Record<ScorerName, Record<NegativeKind, (number | undefined)[]>> = Object.fromEntries(
    Object.keys(SCORERS).map((s) => [s, { random: [], hard: [], matched: [] }]),
  ) as never;
  const pooled: EvalResult["pooled"] = { blend: emptyPools(), content: emptyPools() };
  const negatives = { random: 0, hard: 0, matched: 0 };
  const topK = {
    withRules: [] as { r10?: number; r50?: number; n10?: number }[],
    withoutRules: [] as { r10?: number; r50?: number; n10?: number }[],
  };
  const sponsored = sponsoredSlotPricing(catalogue);
  const exposure = new Map<string, number>();
  const shown = new Set<string>();
  let positives = 0;
  let reranked = 0;
  const scoring = performance.now();
  for (const [i, user] of users.entries()) {
    const negs = sampleNegatives(user, catalogue, byId, opts.perPositive ?? 10, random);
    const pos = user.heldOutVideoIds.filter((v) => byId.has(v));
    const candidates = [...new Set([...pos, ...NEGATIVE_KINDS.flatMap((k) => negs[k])])];
    const outcome = await recommendForUser(deps, {
      userId: user.userId,
      pageSize: candidates.length,
      filters: { onlyVideoIds: candidates },
      maxPerCreator: Number.MAX_SAFE_INTEGER,
      coldStart: true,
      rerank: false,
    });
    if (outcome.kind !== "list") continue;
    const ce = opts.crossEncoder
      ? await crossEncoderScores(opts.weaviate, opts.crossEncoder, user.userId, outcome.items)
      : undefined;
    reranked += ce?.length ?? 0;
    const scores = scoreTable(outcome.items, ce, candidates, user, byId, split, bm25);
    positives += pos.length;
    for (const kind of NEGATIVE_KINDS) {
      negatives[kind] += negs[kind].length;
      for (const name of scorers) {
        perUser[name][kind].push(
          rocAuc(
            pos.map((v) => scores[name].get(v)!),
            negs[kind].map((v) => scores[name].get(v)!),
          ),
        );
      }
      for (const name of ["blend", "content"] as const) {
        if (pooled[name][kind].pos.length < 5_000) {
          pooled[name][kind].pos.push(...pos.map((v) => scores[name].get(v)!));
          pooled[name][kind].neg.push(...negs[kind].map((v) => scores[name].get(v)!));
        }
      }
    }
    const relevant = new Set(pos);
    for (const [rules, maxPerCreator] of [
      ["withRules", 2],
      ["withoutRules", Number.MAX_SAFE_INTEGER],
    ] as const) {
      const served = await recommendForUser(deps, {
        userId: user.userId,
        pageSize: 10,
        filters: {},
        maxPerCreator,
        coldStart: true,
        rerank: false,
      });
      if (served.kind !== "list") continue;
      const ids = served.items.slice(0, 50).map((it) => it.videoId);
      topK[rules].push({
        r10: recallAtK(ids, relevant, 10),
        r50: recallAtK(ids, relevant, 50),
        n10: ndcgAtK(ids, relevant, 10),
      });
      if (rules === "withRules") {
        sponsored.price(user, served.items, relevant);
        for (const it of served.items.slice(0, 10)) {
          shown.add(it.videoId);
          exposure.set(it.creatorId, (exposure.get(it.creatorId) ?? 0) + 1);
        }
      }
    }
    opts.progress("score", i + 1, users.length);
  }
  const creators = new Set(catalogue.map((v) => v.creatorId));
  const summarise = (xs: { r10?: number; r50?: number; n10?: number }[]) => ({
    recallAt10: meanDefined(xs.map((x) => x.r10)),
    recallAt50: meanDefined(xs.map((x) => x.r50)),
    ndcgAt10: meanDefined(xs.map((x) => x.n10)),
  });
  return {
    eligibleUsers: split.users.length,
    evaluatedUsers: users.length,
    positives,
    negatives,
    leakedComments,
    ingestSeconds,
    scoreSeconds: (performance.now() - scoring) / 1000,
    auc: Object.fromEntries(
      Object.entries(perUser).map(([name, kinds]) => [
        name,
        Object.fromEntries(NEGATIVE_KINDS.map((k) => [k, meanDefined(kinds[k])])),
      ]),
    ) as EvalResult["auc"],
    pooled,
    topK: { withRules: summarise(topK.withRules), withoutRules: summarise(topK.withoutRules) },
    sponsoredSlot: sponsored.summary(),
    coverage: shown.size / catalogue.length,
    creatorGini: gini([...creators].map((c) => exposure.get(c) ?? 0)),
    reranked,
    pointInTime: servedPointInTime(opts.ranker),
  };
}

/** Every scorer's score for every candidate; served-path scores come from the items recommendForUser returned. */
function scoreTable(
  items: RecommendedItem[],
  ce: Float32Array | undefined,
  candidates: string[],
  user: HeldOut,
  byId: Map<string, CatalogueVideo>,
  split: ReturnType<typeof timeSplit>,
  bm25: ReturnType<typeof createBm25>,
): Record<ScorerName, Map<string, number>> {
  const served = new Map(items.map((it) => [it.videoId, it]));
  // The rerank stage's own fusion over the whole list, as it serves when every candidate is affordable.
  const fusedAt = (weight: number) =>
    new Map(ce ? fuseHead(items, ce, weight).map((it, k) => [it.videoId, -k] as const) : []);
  const [fused50, fused20] = [fusedAt(0.5), fusedAt(0.2)];
  const ceScore = new Map(ce ? items.map((it, k) => [it.videoId, ce[k]!] as const) : []);
  const query = user.trainComments.map((c) => c.text).join(" ");
  // A candidate recall did not return (it should not happen: the filter pins them) scores lowest.
  const from = (f: (it: RecommendedItem) => number) =>
    new Map(candidates.map((v) => [v, served.has(v) ? f(served.get(v)!) : -Infinity]));
  const fromVideo = (f: (v: CatalogueVideo) => number) =>
    new Map(candidates.map((v) => [v, f(byId.get(v)!)]));
  return {
    blend: from((it) => it.score),
    fixedBlend: from((it) => fixedBlendScore(it)),
    blendPointInTime: from((it) => fixedBlendScore(it) - FIXED_WEIGHTS.popularity * it.signals.popularity),
    fused50: from((it) => fused50.get(it.videoId) ?? -Infinity),
    fused20: from((it) => fused20.get(it.videoId) ?? -Infinity),
    crossEncoder: from((it) => ceScore.get(it.videoId) ?? -Infinity),
    pairScore: from((it) => it.features?.[PAIR_SCORE_COLUMN] ?? 0),
    content: from((it) => it.signals.content),
    affinity: from((it) => it.signals.affinity),
    popularity: from((it) => it.signals.popularity),
    freshness: from((it) => it.signals.freshness),
    activity: from((it) => it.signals.activity),
    popularPlays: fromVideo((v) => Math.log1p(v.playCount)),
    recency: fromVideo((v) => v.createdAt),
    commentsBefore: fromVideo((v) => Math.log1p(commentsBefore(split, v.videoId, user.splitTime))),
    bm25: fromVideo((v) => bm25.score(query, v.videoId)),
  };
}

/**
 * The fixed blend's score from an item's signals, whatever ranked it. Evaluated users all have past
 * comments, so their blend uses FIXED_WEIGHTS as they are (no affinity or activity weight moved to content).
 */
const fixedBlendScore = (it: RecommendedItem) => blendScore(it.signals, FIXED_WEIGHTS);

/** The served rows are point-in-time exactly when the loaded ranker reads only point-in-time features. */
function servedPointInTime(ranker: RecommendDeps["ranker"]): Record<ScorerName, boolean> {
  const flags = Object.fromEntries(
    Object.entries(SCORERS).map(([name, s]) => [name, s.pointInTime as boolean]),
  ) as Record<ScorerName, boolean>;
  const served =
    ranker !== undefined &&
    ranker.features.every((name) => FEATURES.find((f) => f.name === name)?.pointInTime);
  return { ...flags, blend: served, fused50: served, fused20: served };
}

const CROSS_ENCODER_ROWS: ScorerName[] = ["fused50", "fused20", "crossEncoder"];

/** Cross-encoder logits of every listed item, its query and documents read as the rerank stage reads them. */
async function crossEncoderScores(
  weaviate: WeaviateHandle,
  cross: CrossEncoder,
  userId: string,
  items: RecommendedItem[],
): Promise<Float32Array> {
  const [texts, docs] = await Promise.all([
    recentCommentTexts(weaviate, userId),
    videoDocuments(
      weaviate,
      items.map((it) => it.videoId),
    ),
  ]);
  const query = cross.tokens(texts.join(" "));
  const pairs = items.map((it) => cross.pair(query, cross.tokens(docs.get(it.videoId) ?? "")));
  const out = new Float32Array(pairs.length);
  for (let i = 0; i < pairs.length; i += 32) out.set(await cross.score(pairs.slice(i, i + 32)), i);
  return out;
}

const emptyPools = () =>
  ({ random: { pos: [], neg: [] }, hard: { pos: [], neg: [] }, matched: { pos: [], neg: [] } }) as Record<
    NegativeKind,
    { pos: number[]; neg: number[] }
  >;

function sample<T>(xs: T[], n: number | undefined, random: () => number): T[] {
  if (n === undefined || n >= xs.length) return xs;
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** How many of these comment ids Weaviate holds (the leak check). */
export async function countStoredComments(handle: WeaviateHandle, commentIds: string[]): Promise<number> {
  const comments = handle.client.collections.get("Comment");
  let found = 0;
  for (let i = 0; i < commentIds.length; i += 1000) {
    const chunk = commentIds.slice(i, i + 1000);
    const res = await comments.query.fetchObjects({
      filters: comments.filter.byProperty("commentId" as never).containsAny(chunk as never),
      limit: chunk.length,
      returnProperties: ["commentId"] as never,
    });
    found += res.objects.length;
  }
  return found;
}
