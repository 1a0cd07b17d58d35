import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from "type-graphql";

export enum CurationKind {
  BLOCK_CREATOR = "blockCreator",
  BLOCK_VIDEO = "blockVideo",
  BLOCK_HASHTAG = "blockHashtag",
  SPONSORED = "sponsored",
}
registerEnumType(CurationKind, {
  name: "CurationKind",
  description:
    "What an admin curation entry does: block a creator, a video or a hashtag, or sponsor a video at a fixed position.",
});

@ObjectType({
  description: "An admin curation entry; it applies to every recommendation page from the next request on.",
})
export class Curation {
  @Field(() => CurationKind, { description: "What it does." })
  kind!: CurationKind;

  @Field({ description: "The creator id, video id or hashtag (without #)." })
  value!: string;

  @Field(() => Int, { description: "For sponsored slots: the 1-based position on the page." })
  position!: number;

  @Field({ description: "The admin key that made it." })
  createdBy!: string;

  @Field(() => GraphQLISODateTime, { description: "When it was made." })
  createdAt!: Date;
}
