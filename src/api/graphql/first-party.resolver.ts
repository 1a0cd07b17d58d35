import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { cohortKeys } from "../../domain/cohort-keys.js";
import type { GraphQLContext } from "./context.js";
import {
  CommentInput,
  CommentRecorded,
  Onboarding,
  OnboardingInput,
  RecordCommentResult,
} from "./first-party.type.js";
import { badInput, checkId } from "./input-errors.js";
import { UnknownVideo } from "./recommendation.type.js";

/** First-party signals from our own app. Any key (partner or admin): apps write their users' own actions. */
@Authorized()
@Resolver()
export class FirstPartyResolver {
  @Mutation(() => RecordCommentResult, {
    description:
      "Records a comment written in our app; the user's interest vector includes it before this returns.",
  })
  async recordComment(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => CommentInput, { description: "The comment." }) input: CommentInput,
  ): Promise<typeof RecordCommentResult> {
    const text = input.text.trim();
    if (text.length === 0 || text.length > 2000) throw badInput("text must be 1 to 2,000 characters");
    const outcome = await ctx.services.recordComment({
      userId: checkId("userId", input.userId),
      videoId: checkId("videoId", input.videoId),
      text,
      ...(input.clientCommentId != null
        ? { clientCommentId: checkId("clientCommentId", input.clientCommentId) }
        : {}),
    });
    if (outcome.kind === "unknownVideo") return Object.assign(new UnknownVideo(), { videoId: input.videoId });
    return Object.assign(new CommentRecorded(), {
      commentId: outcome.commentId,
      userId: input.userId,
      commentCount: outcome.commentCount,
      duplicate: outcome.duplicate,
    });
  }

  @Mutation(() => Onboarding, {
    description:
      "Records (or replaces) a user's onboarding answers: their first signal, and their cold-start cohort.",
  })
  async onboard(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => OnboardingInput, { description: "The answers." }) input: OnboardingInput,
  ): Promise<Onboarding> {
    if (!/^[A-Za-z]{2}$/.test(input.country.trim()))
      throw badInput("country must be an ISO 3166-1 alpha-2 code, e.g. PT");
    if (!/^v?\d+(\.\d+){0,3}$/i.test(input.appVersion.trim()))
      throw badInput("appVersion must look like 34.1.2");
    const interests = input.interests.map((i) => i.trim());
    if (interests.length < 1 || interests.length > 20 || interests.some((i) => i.length < 1 || i.length > 60))
      throw badInput("interests: 1 to 20 topics of 1 to 60 characters each");
    const profile = await ctx.services.onboard({
      userId: checkId("userId", input.userId),
      country: input.country,
      appVersion: input.appVersion.trim(),
      interests,
    });
    return Object.assign(new Onboarding(), { ...profile, cohorts: cohortKeys(profile).map((k) => k.key) });
  }
}
