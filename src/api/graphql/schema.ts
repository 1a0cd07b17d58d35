import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { RecommendedVideoFields, SimilarCreatorFields, VideoFields } from "./entity-fields.resolver.js";
import { CohortResolver } from "./cohort.resolver.js";
import { CurationResolver } from "./curation.resolver.js";
import { FirstPartyResolver } from "./first-party.resolver.js";
import { AppEventsResolver } from "./app-events.resolver.js";
import { ExperimentsResolver } from "./experiments.resolver.js";
import { IngestRunsResolver } from "./ingest-runs.resolver.js";
import { ModelsResolver } from "./models.resolver.js";
import { RankerTrainingResolver } from "./ranker-training.resolver.js";
import { EncoderGenerationsResolver } from "./encoder-generations.resolver.js";
import { RecommendationsResolver } from "./recommendations.resolver.js";
import { SimilarResolver } from "./similar.resolver.js";
import { authChecker } from "./request-context.js";
import { StatusResolver } from "./status.resolver.js";

/** The one list of resolvers; schema/schema.graphql is printed from this. */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    authChecker,
    authMode: "error",
    resolvers: [
      StatusResolver,
      IngestRunsResolver,
      CurationResolver,
      CohortResolver,
      RecommendationsResolver,
      SimilarResolver,
      FirstPartyResolver,
      AppEventsResolver,
      ExperimentsResolver,
      ModelsResolver,
      RankerTrainingResolver,
      EncoderGenerationsResolver,
      RecommendedVideoFields,
      VideoFields,
      SimilarCreatorFields,
    ],
    validate: false,
  });
}
