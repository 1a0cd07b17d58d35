import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import { decodeCursor, pageInfoOf } from "./paging.js";
import type { RecommendedItem } from "../../domain/recommended-item.js";
import type { GraphQLContext } from "./context.js";
import { badInput, checkFirst, checkId } from "./input-errors.js";
import { RecommendationFilter } from "./recommendation-filter.input.js";
import {
  ClientContext,
  NotEnoughSignal,
  RecommendationPage,
  RecommendationSource,
  RecommendationsResult,
  RecommendedVideo,
  UnknownUser,
} from "./recommendation.type.js";

/** Items for the API; the trail only when the caller asked for it. */
/** The GraphQL items; with `explain`, each carries its trail and its ranking features by name. */
export function toRecommendedVideos(
  items: RecommendedItem[],
  explain: boolean,
  featureNames: readonly string[],
  servedBy?: { id: string; arm: string },
): RecommendedVideo[] {
  return items.map((i) =>
    Object.assign(new RecommendedVideo(), {
      videoId: i.videoId,
      score: i.score,
      sponsored: i.sponsored,
      explain: explain
        ? {
            similarity: i.similarity,
            ...i.signals,
            rerankScore: i.rerankScore,
            rerankPosition: i.rerankPosition,
            blendPosition: i.blendPosition,
            rankedPosition: i.rankedPosition,
            rules: i.rules,
            experiment: servedBy && `${servedBy.id}/${servedBy.arm}`,
            features: (i.features ?? []).map((value, k) => ({
              name: featureNames[k] ?? `feature ${k}`,
              value,
            })),
          }
        : undefined,
    }),
  );
}

@Resolver()
export class RecommendationsResolver {
  @Query(() => RecommendationsResult, {
    description:
      "Videos for a user, from what they commented on (or the cold-start chain); never a video they already commented on.",
  })
  async recommendations(
    @Ctx() ctx: GraphQLContext,
    @Arg("userId", () => ID, { description: "TikTok id of the user." }) userId: string,
    @Arg("first", () => Int, { defaultValue: 10, description: "Page size, 1 to 50." }) first: number,
    @Arg("after", () => String, {
      nullable: true,
      description: "endCursor of the previous page; the same query with the same first.",
    })
    after: string | undefined,
    @Arg("filter", () => RecommendationFilter, {
      nullable: true,
      description: "Filters pushed down into recall.",
    })
    filter: RecommendationFilter | undefined,
    @Arg("context", () => ClientContext, {
      nullable: true,
      description: "Country and app version, for users who never onboarded.",
    })
    context: ClientContext | undefined,
    @Arg("coldStart", {
      defaultValue: true,
      description:
        "Serve users with too few comments through the fallback chain; false answers NotEnoughSignal instead.",
    })
    coldStart: boolean,
    @Arg("rerank", { defaultValue: true, description: "Rerank the affordable head with the cross-encoder." })
    rerank: boolean,
    @Arg("explain", { defaultValue: false, description: "Return each item's trail." }) explain: boolean,
  ): Promise<typeof RecommendationsResult> {
    const offset = after == null ? 0 : decodeCursor(after);
    if (offset === undefined) throw badInput("after must be an endCursor returned by this query");
    const outcome = await ctx.services.recommend({
      userId: checkId("userId", userId),
      pageSize: checkFirst(first),
      filters: { ...filter },
      maxPerCreator: 2,
      context: context && { ...context },
      coldStart,
      rerank,
      offset,
    });
    if (outcome.kind === "unknownUser") return Object.assign(new UnknownUser(), { userId });
    if (outcome.kind === "notEnoughSignal")
      return Object.assign(new NotEnoughSignal(), { userId, commentCount: outcome.commentCount });
    return Object.assign(new RecommendationPage(), {
      items: toRecommendedVideos(outcome.items, explain, ctx.services.featureNames, outcome.experiment),
      pageInfo: pageInfoOf(offset, outcome.items.length, outcome.hasNextPage),
      servedId: outcome.servedId,
      encoderGeneration: outcome.encoderGeneration,
      experiment: outcome.experiment && { experimentId: outcome.experiment.id, arm: outcome.experiment.arm },
      recalled: outcome.recalled,
      reranked: outcome.reranked,
      source: outcome.source as RecommendationSource,
      cohort: outcome.cohort,
      models: outcome.models && {
        ranker: outcome.models.ranker,
        crossEncoder: outcome.models["cross-encoder"],
      },
    });
  }
}
