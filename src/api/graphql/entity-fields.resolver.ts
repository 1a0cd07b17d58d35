import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { GraphQLContext } from "./context.js";
import { Creator } from "./creator.type.js";
import { RecommendedVideo, SimilarCreator } from "./recommendation.type.js";
import { Video } from "./video.type.js";

/** Entities behind ids, through the request's DataLoaders: a page costs one store call per kind. */
@Resolver(() => RecommendedVideo)
export class RecommendedVideoFields {
  @FieldResolver(() => Video)
  video(@Root() item: RecommendedVideo, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.video.load(item.videoId);
  }
}

@Resolver(() => Video)
export class VideoFields {
  @FieldResolver(() => Creator)
  creator(@Root() video: Video, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.creator.load(video.creatorId);
  }
}

@Resolver(() => SimilarCreator)
export class SimilarCreatorFields {
  @FieldResolver(() => Creator)
  creator(@Root() item: SimilarCreator, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.creator.load(item.creatorId);
  }
}
