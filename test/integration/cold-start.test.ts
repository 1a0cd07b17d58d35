import assert from "node:assert/strict";
import type { GraphQLSchema } from "graphql";
import { after, before, describe, it } from "node:test";
import type { Encoder } from "../../src/embed/encoder.js";
import type { Services } from "../../src/api/services.js";
import { buildGraphQLSchema } from "../../src/api/graphql/schema.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { silentLogger } from "../../src/platform/logger.js";
import { userInterest } from "../../src/store/interest-lookup.js";
import { demoDump, readJson } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";
import { operation } from "../helpers/operations.js";
import { runner, testServices } from "../helpers/services.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

// The fallback chain, first-party writes and cursor pages, on the demo catalogue in a live Weaviate.
describe("cold start, first-party comments and onboarding, cursor pages (live Weaviate)", () => {
  let w: TestWeaviate;
  let encoder: Encoder;
  let schema: GraphQLSchema;
  let services: Services;
  const { dir } = demoDump();
  const run = runner(
    () => schema,
    () => services,
  );
  const feed = async (vars: Record<string, unknown>) =>
    (await run(operation("recommendations.graphql"), { first: 10, ...vars })).recommendations;
  const onboard = (input: Record<string, unknown>) =>
    run(operation("first-party.graphql"), { input }, { operationName: "Onboard" });
  const comment = (input: Record<string, unknown>) =>
    run(operation("first-party.graphql"), { input }, { operationName: "RecordComment" });
  // demo-user-i's favourite topic is the (i % 6)th: 0, 6, 12 and 18 all love skateboarding.
  const skaters = ["demo-user-6", "demo-user-12", "demo-user-18"];

  before(async () => {
    [w, encoder, schema] = await Promise.all([startTestWeaviate(), testEncoder(), buildGraphQLSchema()]);
    const dump = createDumpSource(dir);
    await createIngestRunner({ weaviate: w, encoder, log: silentLogger }).run(dump, dump.usernames(), {
      trigger: "test",
    });
    services = testServices(w, encoder);
  });
  after(async () => {
    await encoder?.dispose();
    await w?.dispose();
  });

  it("a stranger without context is an UnknownUser; with a country but no cohort, popular and fresh", async () => {
    assert.equal((await feed({ userId: "stranger" })).__typename, "UnknownUser");
    const page = await feed({ userId: "stranger", context: { country: "JP" }, explain: true });
    assert.equal(page.__typename, "RecommendationPage");
    assert.equal(page.source, "POPULAR_AND_FRESH");
    assert.equal(page.items.length, 10);
    assert.ok(
      page.items.every((i: any) => i.explain.similarity === 0),
      "popular-and-fresh has no content signal",
    );
  });

  it("onboarding records normalised answers and serves a new user from their interests alone", async () => {
    const data = await onboard({
      userId: "newbie-cook",
      country: "pt",
      appVersion: "34.2.0",
      interests: [" Cooking ", "Travel"],
    });
    assert.deepEqual(
      { ...data.onboard, interests: [...data.onboard.interests], cohorts: [...data.onboard.cohorts] },
      {
        userId: "newbie-cook",
        country: "PT",
        appVersion: "34.2.0",
        interests: ["cooking", "travel"],
        cohorts: ["PT|34|cooking", "PT|34", "PT"],
      },
    );
    const page = await feed({ userId: "newbie-cook" });
    assert.equal(page.source, "PERSONAL", "no cohort exists yet, so their own answers serve alone");
    const onTopic = page.items.filter((i: any) =>
      i.video.hashtags.some((t: string) => t === "cooking" || t === "travel"),
    );
    assert.ok(
      onTopic.length >= 7,
      `only ${onTopic.length} of 10 are cooking or travel videos: ${page.items.map((i: any) => i.video.title).join(" / ")}`,
    );
  });

  it("cohorts come from onboarded users with comments; strangers get the bucket, newcomers a blend, regulars stay personal", async () => {
    for (const userId of skaters)
      await onboard({ userId, country: "BR", appVersion: "34.1.0", interests: ["skate"] });
    const refreshed = (await run("mutation { refreshCohorts { profiles engaged cohorts } }")).refreshCohorts;
    assert.deepEqual({ ...refreshed }, { profiles: 4, engaged: 3, cohorts: 3 });
    const cohorts = (await run("{ cohorts { key level memberCount } }")).cohorts;
    assert.deepEqual(cohorts.map((c: any) => [c.key, c.memberCount]).sort(), [
      ["BR", 3],
      ["BR|34", 3],
      ["BR|34|skate", 3],
    ]);

    const bucket = await feed({ userId: "visitor", context: { country: "br", appVersion: "34.9" } });
    assert.equal(bucket.source, "BUCKET");
    assert.equal(bucket.cohort, "BR|34");
    const skate = bucket.items.filter((i: any) =>
      i.video.hashtags.some((t: string) => t.startsWith("skate") || t === "kickflip"),
    );
    assert.ok(
      skate.length >= 5,
      `the skaters' cohort served only ${skate.length} skate videos: ${bucket.items.map((i: any) => i.video.title).join(" / ")}`,
    );

    await onboard({
      userId: "newbie-skater",
      country: "BR",
      appVersion: "34.0",
      interests: ["skate", "music"],
    });
    const blend = await feed({ userId: "newbie-skater" });
    assert.equal(blend.source, "BLEND");
    assert.equal(blend.cohort, "BR|34|skate");

    const regular = await feed({ userId: "demo-user-6" });
    assert.equal(regular.source, "PERSONAL");
    assert.equal(regular.cohort, null);
  });

  it("coldStart: false answers NotEnoughSignal for a thin user", async () => {
    const page = await feed({ userId: "newbie-skater", coldStart: false });
    assert.deepEqual(
      { ...page },
      { __typename: "NotEnoughSignal", userId: "newbie-skater", commentCount: 0 },
    );
  });

  it("a first-party comment updates the interest at once, and that video is never recommended back", async () => {
    const football = readJson(`${dir}/users/football_en_20.json`).user.id;
    const video = readJson(`${dir}/posts/${football}.json`).videos[0];
    const recorded = (
      await comment({
        userId: "newbie-skater",
        videoId: video.video_id,
        text: "what a goal, best striker ever",
      })
    ).recordComment;
    assert.equal(recorded.__typename, "CommentRecorded");
    assert.equal(recorded.commentCount, 1);
    const interest = await userInterest(w, "newbie-skater");
    assert.equal(interest?.commentVector?.length, 384);
    assert.deepEqual(interest?.commentedVideoIds, [video.video_id]);
    const page = await feed({ userId: "newbie-skater", first: 50 });
    assert.equal(page.source, "BLEND", "one comment is still a thin signal");
    assert.ok(
      page.items.every((i: any) => i.video.videoId !== video.video_id),
      "the commented video came back",
    );

    const unknown = (await comment({ userId: "newbie-skater", videoId: "404", text: "hi" })).recordComment;
    assert.deepEqual({ ...unknown }, { __typename: "UnknownVideo", videoId: "404" });
  });

  it("rejects bad first-party input with BAD_USER_INPUT and stores nothing", async () => {
    const cases = [
      [
        operation("first-party.graphql"),
        { input: { userId: "u", videoId: "1", text: "   " } },
        "RecordComment",
      ],
      [
        operation("first-party.graphql"),
        { input: { userId: "u", country: "Portugal", appVersion: "34", interests: ["x"] } },
        "Onboard",
      ],
      [
        operation("first-party.graphql"),
        { input: { userId: "u", country: "PT", appVersion: "34", interests: [] } },
        "Onboard",
      ],
    ] as const;
    for (const [source, vars, operationName] of cases) {
      const result = await run(source, vars, { operationName, errors: true });
      assert.equal(result.errors?.[0]?.extensions.code, "BAD_USER_INPUT", JSON.stringify(result.errors));
    }
    assert.equal((await feed({ userId: "u" })).__typename, "UnknownUser");
  });

  it("cursor pages: disjoint, each within the diversity quota, and a foreign cursor is refused", async () => {
    const seen = new Set<string>();
    let after: string | undefined;
    for (let p = 0; p < 3; p++) {
      const page = await feed({ userId: "demo-user-skater-pt", first: 8, after });
      assert.equal(page.items.length, 8);
      const perCreator = new Map<string, number>();
      for (const i of page.items) {
        assert.ok(!seen.has(i.video.videoId), `page ${p + 1} repeats ${i.video.videoId}`);
        seen.add(i.video.videoId);
        perCreator.set(i.video.creator.creatorId, (perCreator.get(i.video.creator.creatorId) ?? 0) + 1);
      }
      assert.ok(Math.max(...perCreator.values()) <= 2, `page ${p + 1} breaks the quota`);
      assert.equal(page.pageInfo.hasNextPage, true);
      after = page.pageInfo.endCursor;
    }
    const bad = await run(
      operation("recommendations.graphql"),
      { userId: "demo-user-skater-pt", after: "bm9wZQ" },
      { errors: true },
    );
    assert.equal(bad.errors?.[0]?.extensions.code, "BAD_USER_INPUT");
  });
});
