import { Field, GraphQLISODateTime, ID, InputType, Int } from "type-graphql";

@InputType({ description: "Filters applied inside Weaviate at recall, so pages are never short or leaky." })
export class RecommendationFilter {
  @Field(() => [String], { nullable: true, description: "Only videos in these ISO 639-1 languages." })
  languages?: string[];

  @Field(() => Int, { nullable: true, description: "Only creators with at least this many followers." })
  minCreatorFollowers?: number;

  @Field(() => GraphQLISODateTime, { nullable: true, description: "Only videos posted after this time." })
  createdAfter?: Date;

  @Field(() => [ID], { nullable: true, description: "Never these creators." })
  excludeCreatorIds?: string[];

  @Field(() => [String], { nullable: true, description: "Never videos with these hashtags (without #)." })
  excludeHashtags?: string[];
}
