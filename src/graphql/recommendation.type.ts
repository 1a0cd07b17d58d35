import { Field, Float, ID, Int, ObjectType, createUnionType } from "type-graphql";
import { Creator } from "./creator.type.js";
import { Video } from "./video.type.js";

@ObjectType({ description: "Why an item is where it is." })
export class Explanation {
  @Field(() => Float, { description: "Cosine similarity to the query vector at recall." })
  similarity!: number;

  @Field(() => Float, { description: "Content signal used by the ranker (similarity)." })
  content!: number;

  @Field(() => Float, { description: "Share of the user's commented videos that are by this creator." })
  affinity!: number;

  @Field(() => Float, { description: "Plays, log-scaled within the candidates (0-1)." })
  popularity!: number;

  @Field(() => Float, { description: "Post time, scaled within the candidates (1 = newest)." })
  freshness!: number;

  @Field(() => Int, { description: "1-based place after ranking, before the business rules." })
  rankedPosition!: number;

  @Field(() => [String], { description: "What the business rules did to this item." })
  rules!: string[];
}

@ObjectType({ description: "One recommended video." })
export class RecommendedVideo {
  @Field(() => Video, { description: "The video." })
  video!: Video;

  @Field(() => Float, { description: "Ranking score (higher is better)." })
  score!: number;

  @Field({ description: "An admin-defined sponsored slot; always labelled." })
  sponsored!: boolean;

  @Field(() => Explanation, { nullable: true, description: "The item's trail; only when asked with explain: true." })
  explain?: Explanation;

  videoId!: string;
}

@ObjectType({ description: "A page of recommended videos." })
export class RecommendationPage {
  @Field(() => [RecommendedVideo], { description: "Best first." })
  items!: RecommendedVideo[];

  @Field(() => Int, { description: "Candidates recalled from Weaviate before ranking." })
  recalled!: number;

  @Field({ description: "Which signal served: personal (the user's own interest)." })
  source!: string;
}

@ObjectType({ description: "No user with this id has been ingested." })
export class UnknownUser {
  @Field(() => ID, { description: "The id asked for." })
  userId!: string;
}

@ObjectType({ description: "The user exists but has no interest vector yet." })
export class NotEnoughSignal {
  @Field(() => ID, { description: "The id asked for." })
  userId!: string;

  @Field(() => Int, { description: "Comments we hold for the user." })
  commentCount!: number;
}

export const RecommendationsResult = createUnionType({
  name: "RecommendationsResult",
  description: "A page, or why there is none.",
  types: () => [RecommendationPage, UnknownUser, NotEnoughSignal] as const,
});

@ObjectType({ description: "Videos like a given one." })
export class SimilarVideosPage {
  @Field(() => [RecommendedVideo], { description: "Most similar first, diversified by creator." })
  items!: RecommendedVideo[];
}

@ObjectType({ description: "No video with this id has been ingested." })
export class UnknownVideo {
  @Field(() => ID, { description: "The id asked for." })
  videoId!: string;
}

export const SimilarVideosResult = createUnionType({
  name: "SimilarVideosResult",
  description: "Similar videos, or why there are none.",
  types: () => [SimilarVideosPage, UnknownVideo] as const,
});

@ObjectType({ description: "A creator similar to another." })
export class SimilarCreator {
  @Field(() => Creator, { description: "The creator." })
  creator!: Creator;

  @Field(() => Float, { description: "Cosine similarity of the creators' centroids." })
  similarity!: number;

  creatorId!: string;
}

@ObjectType({ description: "Creators like a given one." })
export class SimilarCreatorsPage {
  @Field(() => [SimilarCreator], { description: "Most similar first, the creator itself excluded." })
  items!: SimilarCreator[];
}

@ObjectType({ description: "No creator with this id has been ingested." })
export class UnknownCreator {
  @Field(() => ID, { description: "The id asked for." })
  creatorId!: string;
}

export const SimilarCreatorsResult = createUnionType({
  name: "SimilarCreatorsResult",
  description: "Similar creators, or why there are none.",
  types: () => [SimilarCreatorsPage, UnknownCreator] as const,
});
