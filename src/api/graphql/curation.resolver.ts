import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { CurationEntry } from "../services.js";
import type { GraphQLContext } from "./context.js";
import { Curation, CurationKind } from "./curation.type.js";
import { badInput, checkId } from "./input-errors.js";

const toApi = (e: CurationEntry) =>
  Object.assign(new Curation(), { ...e, kind: e.kind as CurationKind, position: e.position + 1 });

/** Blocklists and sponsored slots. Admin keys only; stored in Weaviate, so they survive restarts. */
@Authorized("admin")
@Resolver()
export class CurationResolver {
  @Query(() => [Curation], { description: "Every blocklist entry and sponsored slot. Admin key only." })
  async curation(@Ctx() ctx: GraphQLContext): Promise<Curation[]> {
    return (await ctx.services.curation()).map(toApi);
  }

  @Mutation(() => Curation, {
    description:
      "Blocks a creator, video or hashtag from every page, or sponsors a video at a position. Admin key only.",
  })
  async curate(
    @Ctx() ctx: GraphQLContext,
    @Arg("kind", () => CurationKind, { description: "What to do." }) kind: CurationKind,
    @Arg("value", () => ID, { description: "Creator id, video id or hashtag (without #)." }) value: string,
    @Arg("position", () => Int, {
      nullable: true,
      description: "For SPONSORED: the 1-based page position (1-50).",
    })
    position: number | undefined,
  ): Promise<Curation> {
    const cleaned = kind === CurationKind.BLOCK_HASHTAG ? value.replace(/^#/, "").toLowerCase() : value;
    checkId("value", cleaned);
    if (kind === CurationKind.SPONSORED && (position === undefined || position < 1 || position > 50))
      throw badInput("a SPONSORED entry needs a position from 1 to 50");
    if (kind !== CurationKind.SPONSORED && position !== undefined)
      throw badInput("position applies to SPONSORED entries only");
    const entry: CurationEntry = {
      kind,
      value: cleaned,
      position: (position ?? 1) - 1,
      createdBy: ctx.caller.name,
      createdAt: new Date(),
    };
    await ctx.services.curate(entry);
    return toApi(entry);
  }

  @Mutation(() => Boolean, {
    description: "Removes a curation entry; false when there was none. Admin key only.",
  })
  uncurate(
    @Ctx() ctx: GraphQLContext,
    @Arg("kind", () => CurationKind, { description: "The entry's kind." }) kind: CurationKind,
    @Arg("value", () => ID, { description: "The entry's value." }) value: string,
  ): Promise<boolean> {
    return ctx.services.uncurate(
      kind,
      kind === CurationKind.BLOCK_HASHTAG ? value.replace(/^#/, "").toLowerCase() : value,
    );
  }
}
