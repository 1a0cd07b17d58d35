import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type {
  Experiment as ExperimentData,
  ExperimentChange,
  ExperimentInput as ExperimentDefinition,
} from "../services.js";
import type { GraphQLContext } from "./context.js";
import { ExperimentReport } from "./experiment-report.type.js";
import {
  Experiment,
  ExperimentChangeResult,
  ExperimentInput,
  ExperimentRefused,
  UnknownExperiment,
  type RankerChoice,
} from "./experiment.type.js";

type ArmSettingsDefinition = NonNullable<ExperimentDefinition["arms"][number]["settings"]>;

/** GraphQL leaves absent fields null; a definition keeps only what was given. */
const given = <T extends object>(o: T | undefined | null): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v != null)) as Partial<T>;

export function toExperiment(e: ExperimentData): Experiment {
  return Object.assign(new Experiment(), {
    ...e,
    arms: e.arms.map((a) => ({
      ...a,
      settings: { ...a.settings, ranker: a.settings.ranker as RankerChoice | undefined },
    })),
  });
}

function toChange(change: ExperimentChange): typeof ExperimentChangeResult {
  if (change.kind === "done") return toExperiment(change.experiment);
  if (change.kind === "unknown") return Object.assign(new UnknownExperiment(), { id: change.id });
  return Object.assign(new ExperimentRefused(), { reasons: change.reasons });
}

/** Online experiments. Admin keys only; stored in the event store, shared by every replica. */
@Authorized("admin")
@Resolver()
export class ExperimentsResolver {
  @Query(() => [Experiment], { description: "Every experiment, newest first. Admin key only." })
  async experiments(@Ctx() ctx: GraphQLContext): Promise<Experiment[]> {
    return (await ctx.services.experiments()).map(toExperiment);
  }

  @Query(() => ExperimentReport, {
    nullable: true,
    description:
      "How an experiment stands: per arm and day, the difference with an always-valid p-value, the sample-ratio check, sponsored against organic CTR, a verdict, and the whole as an offline HTML page. Null for an unknown id. Admin key only.",
  })
  async experimentReport(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<ExperimentReport | undefined> {
    const found = await ctx.services.experimentReport(id);
    return found && Object.assign(new ExperimentReport(), { ...found.report, html: found.html });
  }

  @Mutation(() => ExperimentChangeResult, {
    description:
      "Starts an experiment now; refused while another runs, for a used id, or for a bad split. Admin key only.",
  })
  async startExperiment(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => ExperimentInput) input: ExperimentInput,
  ): Promise<typeof ExperimentChangeResult> {
    // The service validates the whole definition (zod) and answers every problem at once.
    const definition: ExperimentDefinition = {
      id: input.id,
      description: input.description ?? undefined,
      arms: input.arms.map((a) => ({
        name: a.name,
        weight: a.weight ?? undefined,
        settings: given(a.settings) as ArmSettingsDefinition,
      })),
    };
    return toChange(await ctx.services.createExperiment(definition, ctx.caller.name));
  }

  @Mutation(() => ExperimentChangeResult, {
    description: "Stops an experiment: every user gets the service's own settings again. Admin key only.",
  })
  async stopExperiment(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<typeof ExperimentChangeResult> {
    return toChange(await ctx.services.stopExperiment(id, ctx.caller.name));
  }
}
