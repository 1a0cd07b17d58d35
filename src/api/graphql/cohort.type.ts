import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "A cold-start bucket and how many engaged members make its vector." })
export class CohortView {
  @Field({ description: "country|appMajor|interest, country|appMajor or country." })
  key!: string;

  @Field({ description: "interest, app or country: how fine the bucket is." })
  level!: string;

  @Field(() => Int, { description: "Engaged members (top 50 by comments) averaged into its vector." })
  memberCount!: number;

  @Field({ description: "When the cohort job last computed it." })
  refreshedAt!: Date;
}

@ObjectType({ description: "What a cohort refresh did." })
export class CohortRefreshResult {
  @Field(() => Int, { description: "Onboarded users read." })
  profiles!: number;

  @Field(() => Int, { description: "Of them, users with comments of their own." })
  engaged!: number;

  @Field(() => Int, { description: "Cohorts stored (those with enough engaged members)." })
  cohorts!: number;
}
