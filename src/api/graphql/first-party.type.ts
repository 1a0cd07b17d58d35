import { Field, ID, InputType, Int, ObjectType, createUnionType } from "type-graphql";
import { UnknownVideo } from "./recommendation.type.js";

@InputType({ description: "A comment a user wrote in our app." })
export class CommentInput {
  @Field(() => ID, { description: "TikTok id of the user who wrote it." })
  userId!: string;

  @Field(() => ID, { description: "TikTok id of the video it is on." })
  videoId!: string;

  @Field({ description: "The comment, 1 to 2,000 characters." })
  text!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      "The app's own id for this comment (for example a UUID made when the user pressed send): 1 to 64 letters, digits, '.', '_' or '-'. A retry with the same id stores nothing twice. Without it, the same user, video and text count as the same comment.",
  })
  clientCommentId?: string;
}

@ObjectType({ description: "The comment is stored and the user's interest already includes it." })
export class CommentRecorded {
  @Field(() => ID, { description: "Id of the comment (the same on every retry of it)." })
  commentId!: string;

  @Field({ description: "True when this comment was stored already (a retry): nothing was written again." })
  duplicate!: boolean;

  @Field(() => ID, { description: "The user." })
  userId!: string;

  @Field(() => Int, { description: "Comments of the user's that now make their interest (the last 100)." })
  commentCount!: number;
}

export const RecordCommentResult = createUnionType({
  name: "RecordCommentResult",
  description: "The recorded comment, or why it was not recorded.",
  types: () => [CommentRecorded, UnknownVideo] as const,
});

@InputType({ description: "A new user's onboarding answers." })
export class OnboardingInput {
  @Field(() => ID, { description: "TikTok id of the user." })
  userId!: string;

  @Field({ description: "ISO 3166-1 alpha-2 country code, e.g. PT." })
  country!: string;

  @Field({ description: "App version, e.g. 34.1.2." })
  appVersion!: string;

  @Field(() => [String], {
    description: "Topics the user picked, 1 to 20, each 1 to 60 characters, most important first.",
  })
  interests!: string[];
}

@ObjectType({ description: "Recorded onboarding answers, as normalised." })
export class Onboarding {
  @Field(() => ID, { description: "The user." })
  userId!: string;

  @Field({ description: "Country code, upper case." })
  country!: string;

  @Field({ description: "App version as given." })
  appVersion!: string;

  @Field(() => [String], { description: "Interests, lower case." })
  interests!: string[];

  @Field(() => [String], { description: "The cohort keys the user falls in, finest first." })
  cohorts!: string[];
}
