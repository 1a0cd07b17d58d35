import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import type { RecommendedItem } from "../recommend/ranked-items.js";
import type { GraphQLContext } from "./context.js";
import { checkFirst, checkId } from "./input-errors.js";
import { RecommendationFilter } from "./recommendation-filter.input.js";
import { NotEnoughSignal, RecommendationPage, RecommendationsResult, RecommendedVideo, UnknownUser } from "./recommendation.type.js";

/** Items for the API; the trail only when the caller asked for it. */
export function toRecommendedVideos(items: RecommendedItem[], explain: boolean): RecommendedVideo[] {
  return items.map((i) =>
    Object.assign(new RecommendedVideo(), {
      videoId: i.videoId,
      score: i.score,
      sponsored: i.sponsored,
      explain: explain ? { similarity: i.similarity, ...i.signals, rankedPosition: i.rankedPosition, rules: i.rules } : undefined,
    }),
  );
}

@Resolver()
export class RecommendationsResolver {
  @Query(() => RecommendationsResult, { description: "Videos for a user, from what they commented on; never a video they already commented on." })
  async recommendations(
    @Ctx() ctx: GraphQLContext,
    @Arg("userId", () => ID, { description: "TikTok id of the user." }) userId: string,
    @Arg("first", () => Int, { defaultValue: 10, description: "Page size, 1 to 50." }) first: number,
    @Arg("filter", () => RecommendationFilter, { nullable: true, description: "Filters pushed down into recall." }) filter: RecommendationFilter | undefined,
    @Arg("explain", { defaultValue: false, description: "Return each item's trail." }) explain: boolean,
  ): Promise<typeof RecommendationsResult> {
    const outcome = await ctx.services.recommend({ userId: checkId("userId", userId), first: checkFirst(first), filters: { ...filter }, maxPerCreator: 2 });
    if (outcome.kind === "unknownUser") return Object.assign(new UnknownUser(), { userId });
    if (outcome.kind === "notEnoughSignal") return Object.assign(new NotEnoughSignal(), { userId, commentCount: outcome.commentCount });
    return Object.assign(new RecommendationPage(), { items: toRecommendedVideos(outcome.items, explain), recalled: outcome.recalled, source: outcome.source });
  }
}
