import {
  Field,
  Float,
  ID,
  InputType,
  Int,
  ObjectType,
  createUnionType,
  registerEnumType,
} from "type-graphql";
import { ServingModels } from "./model.type.js";
import { Creator } from "./creator.type.js";
import { Video } from "./video.type.js";

export enum RecommendationSource {
  PERSONAL = "personal",
  BLEND = "blend",
  BUCKET = "bucket",
  POPULAR_AND_FRESH = "popularAndFresh",
}
registerEnumType(RecommendationSource, {
  name: "RecommendationSource",
  description: "Which step of the fallback chain served a page.",
  valuesConfig: {
    PERSONAL: {
      description:
        "The user's own interest (their comments and the videos they were on, or their onboarding answers when no cohort can add to them).",
    },
    BLEND: {
      description:
        "A thin signal of the user's own (a few comments or onboarding answers) blended with their cohort's vector.",
    },
    BUCKET: {
      description:
        "Their cohort's vector (country, app version, onboarding interest): no signal of their own yet.",
    },
    POPULAR_AND_FRESH: {
      description: "The newest videos ranked by popularity and freshness: no signal and no cohort.",
    },
  },
});

@InputType({ description: "What the client knows of a user who never onboarded, for cold-start bucketing." })
export class ClientContext {
  @Field({ nullable: true, description: "ISO 3166-1 alpha-2 country code, e.g. PT." })
  country?: string;

  @Field({ nullable: true, description: "App version, e.g. 34.1.2 (the major version buckets)." })
  appVersion?: string;
}

@ObjectType({
  description: "Where a page sits in the full list: pass endCursor as `after` for the next one.",
})
export class PageInfo {
  @Field({ nullable: true, description: "Cursor of the page's last item; null on an empty page." })
  endCursor?: string;

  @Field({ description: "Whether another page follows." })
  hasNextPage!: boolean;
}

@ObjectType({ description: "One input of the learned ranker." })
export class FeatureValue {
  @Field({ description: "Feature name (see the README's ranking section)." })
  name!: string;

  @Field(() => Float, { description: "Its value for this item." })
  value!: number;
}

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

  @Field(() => Float, {
    description:
      "Closeness of the post time to the user's last comment, 1 / (1 + days / 30); 0 for a user with no comments.",
  })
  activity!: number;

  @Field(() => Float, {
    nullable: true,
    description: "Cross-encoder logit; null when the item was outside the reranked head.",
  })
  rerankScore?: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "1-based place by the ranker (learned or fixed blend), before the cross-encoder; null when the item was outside the reranked head.",
  })
  blendPosition?: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "1-based place by cross-encoder score within the reranked head; the head's order fuses it with blendPosition (RERANK_WEIGHT). Null outside the head.",
  })
  rerankPosition?: number;

  @Field(() => Int, { description: "1-based place after ranking and reranking, before the business rules." })
  rankedPosition!: number;

  @Field(() => [String], { description: "What the business rules did to this item." })
  rules!: string[];

  @Field(() => [FeatureValue], {
    description: "The ranking features of the item (the learned ranker's inputs).",
  })
  features!: FeatureValue[];

  @Field({
    nullable: true,
    description: "experiment/arm whose settings ranked this item; null outside any experiment.",
  })
  experiment?: string;
}

@ObjectType({ description: "One recommended video." })
export class RecommendedVideo {
  @Field(() => Video, { description: "The video." })
  video!: Video;

  @Field(() => Float, {
    description: "Ranking score, higher is better: P(engage) from the learned ranker, or the fixed blend.",
  })
  score!: number;

  @Field({ description: "An admin-defined sponsored slot; always labelled." })
  sponsored!: boolean;

  @Field(() => Explanation, {
    nullable: true,
    description: "The item's trail; only when asked with explain: true.",
  })
  explain?: Explanation;

  videoId!: string;
}

@ObjectType({ description: "The experiment arm a page was served by." })
export class ServedBy {
  @Field(() => ID, { description: "The experiment." })
  experimentId!: string;

  @Field({ description: "The arm the user is in (sticky for the whole test)." })
  arm!: string;
}

@ObjectType({ description: "A page of recommended videos." })
export class RecommendationPage {
  @Field(() => [RecommendedVideo], { description: "Best first." })
  items!: RecommendedVideo[];

  @Field(() => PageInfo, { description: "Cursor for the next page." })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: "Candidates recalled from Weaviate before ranking." })
  recalled!: number;

  @Field(() => Int, {
    description:
      "How many of the list's head the cross-encoder scored within the latency budget (0 when off).",
  })
  reranked!: number;

  @Field(() => RecommendationSource, { description: "Which step of the fallback chain served." })
  source!: RecommendationSource;

  @Field({ nullable: true, description: "The cohort key, when a cohort served (BLEND or BUCKET)." })
  cohort?: string;

  @Field(() => ID, {
    nullable: true,
    description:
      "Names this page in recordEvents (impressions, clicks, dwell); null when the event store is off or did not take the page.",
  })
  servedId?: string;

  @Field(() => ServedBy, { nullable: true, description: "The experiment and arm that served this page." })
  experiment?: ServedBy;

  @Field(() => ServingModels, {
    nullable: true,
    description:
      "The registry ids of the ranker and cross-encoder this page was ranked with; null where no registry is wired.",
  })
  models?: ServingModels;

  @Field(() => Int, {
    nullable: true,
    description:
      "The encoder generation every read of this request went to (query vector and recall alike; see encoderGenerations); null where generations are not wired.",
  })
  encoderGeneration?: number;
}

@ObjectType({ description: "No user with this id has been ingested." })
export class UnknownUser {
  @Field(() => ID, { description: "The id asked for." })
  userId!: string;
}

@ObjectType({
  description: "The user has too few comments for a personal page, and coldStart: false was asked.",
})
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

  @Field(() => Int, {
    description: "How many of the head the cross-encoder scored within the latency budget (0 when off).",
  })
  reranked!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      "The encoder generation every read of this request went to (query vector and recall alike; see encoderGenerations); null where generations are not wired.",
  })
  encoderGeneration?: number;
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
