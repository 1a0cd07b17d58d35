import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "./context.js";
import { checkFirst, checkId } from "./input-errors.js";
import { toRecommendedVideos } from "./recommendations.resolver.js";
import {
  SimilarCreator,
  SimilarCreatorsPage,
  SimilarCreatorsResult,
  SimilarVideosPage,
  SimilarVideosResult,
  UnknownCreator,
  UnknownVideo,
} from "./recommendation.type.js";

@Resolver()
export class SimilarResolver {
  @Query(() => SimilarVideosResult, {
    description: "More like this: videos similar to a video, itself excluded.",
  })
  async similarVideos(
    @Ctx() ctx: GraphQLContext,
    @Arg("videoId", () => ID, { description: "TikTok id of the video." }) videoId: string,
    @Arg("first", () => Int, { defaultValue: 10, description: "Page size, 1 to 50." }) first: number,
    @Arg("explain", { defaultValue: false, description: "Return each item's trail." }) explain: boolean,
  ): Promise<typeof SimilarVideosResult> {
    const outcome = await ctx.services.similarVideos(checkId("videoId", videoId), checkFirst(first));
    if (outcome.kind === "unknownVideo") return Object.assign(new UnknownVideo(), { videoId });
    return Object.assign(new SimilarVideosPage(), {
      items: toRecommendedVideos(outcome.items, explain, ctx.services.featureNames),
      reranked: outcome.reranked,
      encoderGeneration: outcome.encoderGeneration,
    });
  }

  @Query(() => SimilarCreatorsResult, {
    description: "Creators similar to a creator (bio and newest videos), itself excluded.",
  })
  async similarCreators(
    @Ctx() ctx: GraphQLContext,
    @Arg("creatorId", () => ID, { description: "TikTok id of the creator." }) creatorId: string,
    @Arg("first", () => Int, { defaultValue: 10, description: "Page size, 1 to 50." }) first: number,
  ): Promise<typeof SimilarCreatorsResult> {
    const outcome = await ctx.services.similarCreators(checkId("creatorId", creatorId), checkFirst(first));
    if (outcome.kind === "unknownCreator") return Object.assign(new UnknownCreator(), { creatorId });
    return Object.assign(new SimilarCreatorsPage(), {
      items: outcome.items.map((i) => Object.assign(new SimilarCreator(), i)),
    });
  }
}
