import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "A TikTok creator." })
export class Creator {
  @Field(() => ID, { description: "TikTok user id." })
  creatorId!: string;

  @Field({ description: "Handle (without @)." })
  username!: string;

  @Field({ description: "Display name." })
  nickname!: string;

  @Field({ description: "Bio." })
  bio!: string;

  @Field({ description: "Region of the account." })
  region!: string;

  @Field({ description: "Verified account." })
  verified!: boolean;

  @Field(() => Int, { description: "Followers when last ingested." })
  followerCount!: number;
}
