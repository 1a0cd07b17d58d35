import { cohortKeys, type BucketSignals } from "../domain/cohort-keys.js";
import { chooseQuery, type RecommendationSource } from "./query/fallback-chain.js";
import { DEFAULT_RECALL_K, interestQuery, recallVideos } from "./recall/recall-videos.js";
import { rerankHead } from "./rerank/rerank-stage.js";
import { applyDiversityQuotaPaged } from "./rules/diversity-quota.js";
import { withBlocklists } from "./rules/blocklists.js";
import { applySponsoredSlots, sponsoredSlots } from "./rules/sponsored-slots.js";
import { cohortsByKeys, type Cohort } from "../store/cohorts.js";
import { listCuration, type CurationEntry } from "../store/curation.js";
import { readsEngagedVectors, readsVectors, type FeatureContext } from "./rank/ranking-features.js";
import { userInterest, type UserInterestVectors } from "../store/interest-lookup.js";
import { recentCommentTexts, videoDocuments } from "../store/rerank-texts.js";
import { getProfile } from "../store/user-profiles.js";
import { freshVideos, videosPassing, type VideoFilters } from "../store/video-search.js";
import type { RecommendDeps } from "./recommend-deps.js";
import type { RecommendedItem } from "../domain/recommended-item.js";
import { rankedItems } from "./rank/ranked-items.js";
import { noteMoves } from "./rules/note-moves.js";
import { demoteIgnored } from "./rules/ignored-items.js";
import type { UserFeedback } from "../domain/app-events.js";

/**
 * How far a video sinks per showing once the user has ignored it FEEDBACK_IGNORED_AFTER times:
 * shown 3 times, it drops 6 places, so it leaves the first page of 10 only from the top few.
 */
const IGNORED_PLACES_PER_SHOWING = 2;

export interface RecommendationRequest {
  userId: string;
  /** Page size: the diversity quota holds on every page of this size. */
  pageSize: number;
  filters: Omit<VideoFilters, "excludeVideoIds">;
  maxPerCreator: number;
  /** Country and app version from the client, for users who never onboarded. */
  context?: BucketSignals;
  /** false: users without enough signal get NotEnoughSignal instead of the fallback chain. */
  coldStart: boolean;
  /** false: skip the cross-encoder for this request. */
  rerank: boolean;
  /** Serving settings an experiment arm overrides (src/domain/experiment.ts); unset: the service's own. */
  overrides?: ServingOverrides;
}

/** An arm's settings, named with the arm so that the result cache keys on it. */
export interface ServingOverrides {
  arm: string;
  ranker?: "learned" | "fixed";
  rerankWeight?: number;
  recallSize?: number;
}

/** The whole ranked list (pages are cut from it), or why there is none. */
export type RecommendationOutcome =
  | {
      kind: "list";
      items: RecommendedItem[];
      recalled: number;
      reranked: number;
      source: RecommendationSource;
      cohort?: string;
    }
  | { kind: "unknownUser"; userId: string }
  | { kind: "notEnoughSignal"; userId: string; commentCount: number };

/**
 * recommendations(user): interest (or the cold-start chain) -> recall with every filter inside
 * Weaviate (seen, blocked) -> blend ranking -> cross-encoder on the affordable head -> diversity
 * quota per page -> sponsored slots that pass the same filters.
 */
export async function recommendForUser(
  deps: RecommendDeps,
  req: RecommendationRequest,
): Promise<RecommendationOutcome> {
  const { weaviate, coldStart } = deps;
  const reads = (needs: (features: readonly string[]) => boolean) =>
    deps.allFeatures === true || (deps.ranker !== undefined && needs(deps.ranker.features));
  const vectors = reads(readsVectors);
  const [interest, curation, feedback] = await Promise.all([
    userInterest(weaviate, req.userId, { engagedVectors: reads(readsEngagedVectors) }),
    listCuration(weaviate),
    userFeedback(deps, req.userId),
  ]);
  const commentCount = interest?.commentCount ?? 0;
  const own = interest && interestQuery(interest.videoVector, interest.commentVector);
  const enough = own !== undefined && commentCount >= coldStart.minComments;
  // Onboarding answers matter only below the personal threshold: regulars skip that read.
  const onboarded = enough ? undefined : await getProfile(weaviate, req.userId);
  if (!interest && !onboarded && !req.context?.country) return { kind: "unknownUser", userId: req.userId };
  if (!enough && !req.coldStart) return { kind: "notEnoughSignal", userId: req.userId, commentCount };
  const cohort = enough ? undefined : await finestCohort(deps, onboarded?.profile ?? req.context ?? {});
  const choice = chooseQuery({
    own,
    commentCount,
    onboarding: onboarded?.vector,
    cohort: cohort?.vector,
    minComments: coldStart.minComments,
  });

  const seen = [...(interest?.commentedVideoIds ?? []), ...feedback.clicked];
  const filters = withBlocklists({ ...req.filters, excludeVideoIds: [...new Set(seen)] }, curation);
  const recallSize = req.overrides?.recallSize ?? DEFAULT_RECALL_K;
  const timed = stageTimer(deps.observeStage);
  const hits = await timed("recall", () =>
    choice.vector
      ? recallVideos(weaviate, choice.vector, filters, recallSize, { vectors })
      : freshVideos(weaviate, filters, recallSize),
  );
  // The learned ranker was fitted on users with a past; users without comments keep the fixed blend.
  const ranker = commentCount > 0 && req.overrides?.ranker !== "fixed" ? deps.ranker : undefined;
  const ranked = await timed("rank", () =>
    rankedItems(hits, featureContext(interest), ranker, { keepPairInputs: deps.allFeatures === true }),
  );
  const queryText = async () =>
    (await recentCommentTexts(weaviate, req.userId)).join(" ") ||
    (onboarded?.profile.interests.join(", ") ?? "");
  const rerank = deps.rerank;
  const { items, reranked } =
    req.rerank && rerank
      ? await timed("rerank", () =>
          rerankHead(
            ranked,
            queryText,
            (ids) => videoDocuments(weaviate, ids),
            rerank.queue,
            { ...rerank.settings, weight: req.overrides?.rerankWeight ?? rerank.settings.weight },
            rerank.cache,
          ),
        )
      : { items: ranked, reranked: 0 };
  const list = await timed("rules", () => {
    const demoted = demoteIgnored(items, feedback.ignored, { placesPerShowing: IGNORED_PLACES_PER_SHOWING });
    const organic = noteMoves(
      applyDiversityQuotaPaged(demoted, req.maxPerCreator, req.pageSize),
      `diversity quota (max ${req.maxPerCreator} per creator per page)`,
      demoted,
    );
    return withSponsoredSlots(deps, organic, curation, filters);
  });
  const usedCohort = choice.source === "blend" || choice.source === "bucket" ? cohort?.key : undefined;
  return {
    kind: "list",
    items: list,
    recalled: hits.length,
    reranked,
    source: choice.source,
    cohort: usedCohort,
  };
}

/** The user's clicks and ignored impressions; none when no event store is wired (tests, evaluation). */
async function userFeedback(deps: RecommendDeps, userId: string): Promise<UserFeedback> {
  return (await deps.feedback?.(userId)) ?? { clicked: [], ignored: new Map() };
}

/** What the ranking features know of the user; empty for a user we only know from onboarding or context. */
function featureContext(interest: UserInterestVectors | undefined): FeatureContext {
  if (!interest) return { affinity: new Map() };
  const {
    creatorAffinity: affinity,
    lastActiveAt,
    commentVector,
    videoVector,
    engagedVectors,
    languageShare,
  } = interest;
  return { affinity, lastActiveAt, commentVector, videoVector, engagedVectors, languageShare };
}

/** Runs a stage and reports its wall time, when anyone listens. */
function stageTimer(observe: RecommendDeps["observeStage"]) {
  return async <T>(
    stage: Parameters<NonNullable<RecommendDeps["observeStage"]>>[0],
    run: () => Promise<T>,
  ): Promise<T> => {
    const started = performance.now();
    const result = await run();
    observe?.(stage, (performance.now() - started) / 1000);
    return result;
  };
}

/** The finest of the user's buckets that has enough engaged members. */
async function finestCohort(deps: RecommendDeps, signals: BucketSignals): Promise<Cohort | undefined> {
  const keys = cohortKeys(signals).map((k) => k.key);
  const found = new Map((await cohortsByKeys(deps.weaviate, keys)).map((c) => [c.key, c]));
  return keys
    .map((k) => found.get(k))
    .find((c) => c && c.memberCount >= deps.coldStart.minMembers && c.vector.length > 0);
}

async function withSponsoredSlots(
  deps: RecommendDeps,
  organic: RecommendedItem[],
  curation: CurationEntry[],
  filters: VideoFilters,
): Promise<RecommendedItem[]> {
  const ids = curation.filter((c) => c.kind === "sponsored").map((c) => c.value);
  const eligible = await videosPassing(deps.weaviate, ids, filters);
  return applySponsoredSlots(organic, sponsoredSlots(curation, eligible));
}
