import { Field, GraphQLISODateTime, ID, Int, ObjectType } from "type-graphql";
import { Creator } from "./creator.type.js";

@ObjectType({ description: "A TikTok video." })
export class Video {
  @Field(() => ID, { description: "TikTok video id." })
  videoId!: string;

  @Field({ description: "Title (caption) as posted." })
  title!: string;

  @Field(() => [String], { description: "Hashtags from the title, lower-case, without #." })
  hashtags!: string[];

  @Field({ description: "Title of the video's music." })
  musicTitle!: string;

  @Field({ description: "ISO 639-1 language of the title, 'und' when undetermined." })
  language!: string;

  @Field(() => GraphQLISODateTime, { description: "When the video was posted." })
  createdAt!: Date;

  @Field(() => Int, { description: "Length in seconds." })
  durationSeconds!: number;

  @Field(() => Int, { description: "Plays when last ingested." })
  playCount!: number;

  @Field(() => Int, { description: "Likes when last ingested." })
  likeCount!: number;

  @Field(() => Int, { description: "Comments when last ingested." })
  commentCount!: number;

  @Field(() => Creator, { description: "Who posted it." })
  creator!: Creator;

  /** Resolves `creator` through the request's DataLoader. */
  creatorId!: string;
}
