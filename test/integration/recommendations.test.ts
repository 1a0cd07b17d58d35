import assert from "node:assert/strict";
import { graphql, type GraphQLSchema } from "graphql";
import { after, before, describe, it } from "node:test";
import type { Encoder } from "../../src/embed/encoder.js";
import type { Services } from "../../src/graphql/context.js";
import { createLoaders } from "../../src/graphql/loaders.js";
import { buildGraphQLSchema } from "../../src/graphql/schema.js";
import { createDumpSource } from "../../src/ingest/dump-source.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { silentLogger } from "../../src/logger.js";
import { createServices } from "../../src/services.js";
import { testEncoder } from "../helpers/encoder.js";
import { demoDump, readJson } from "../helpers/demo-dump.js";
import { operation } from "../helpers/operations.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

// The recommendation queries on the demo catalogue, through the real schema, store and encoder.
describe("recommendations, similar videos, similar creators (live Weaviate)", () => {
  let w: TestWeaviate;
  let encoder: Encoder;
  let schema: GraphQLSchema;
  let services: Services;
  const calls: Record<string, number> = {};
  const { dir } = demoDump();
  const skaterComments: string[] = [];

  before(async () => {
    [w, encoder, schema] = await Promise.all([startTestWeaviate(), testEncoder(), buildGraphQLSchema()]);
    const dump = createDumpSource(dir);
    await createIngestRunner({ weaviate: w, encoder, log: silentLogger }).run(dump, dump.usernames(), { trigger: "test" });
    const real = createServices(w, encoder);
    // Count store round trips per service, to prove the loaders batch.
    services = Object.fromEntries(
      Object.entries(real).map(([name, fn]) => [name, (...args: unknown[]) => ((calls[name] = (calls[name] ?? 0) + 1), (fn as (...a: unknown[]) => unknown)(...args))]),
    ) as unknown as Services;
    for (const name of dump.usernames()) {
      const user = readJson(`${dir}/users/${name}.json`).user;
      for (const v of readJson(`${dir}/posts/${user.id}.json`).videos) {
        if (readJson(`${dir}/comments/${v.video_id}.json`).comments.some((c: any) => c.user.id === "demo-user-skater-pt")) skaterComments.push(v.video_id);
      }
    }
  });
  after(async () => {
    await encoder?.dispose();
    await w?.dispose();
  });

  const run = async (source: string, variableValues: Record<string, unknown>, operationName?: string) => {
    for (const k of Object.keys(calls)) delete calls[k];
    const result = await graphql({ schema, source, variableValues, operationName, contextValue: { services, loaders: createLoaders(services) } });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data as any;
  };

  it("a Portuguese-speaking skateboarder gets skate videos, English ones included, never one already commented on", async () => {
    const data = await run(operation("recommendations.graphql"), { userId: "demo-user-skater-pt", first: 10, explain: true });
    const page = data.recommendations;
    assert.equal(page.__typename, "RecommendationPage");
    assert.equal(page.items.length, 10);
    const videos = page.items.map((i: any) => i.video);
    assert.ok(videos.every((v: any) => !skaterComments.includes(v.videoId)), "a commented video came back");
    const skate = videos.filter((v: any) => v.hashtags.some((t: string) => t.startsWith("skate") || t === "kickflip"));
    assert.ok(skate.length >= 5, `only ${skate.length} of 10 are skate videos`);
    assert.ok(skate.some((v: any) => v.language === "en"), "no English skate video");
    assert.ok(page.items.every((i: any) => i.explain && i.explain.rankedPosition >= 1));
    const perCreator = new Map<string, number>();
    for (const v of videos) perCreator.set(v.creator.creatorId, (perCreator.get(v.creator.creatorId) ?? 0) + 1);
    assert.ok(Math.max(...perCreator.values()) <= 2, "diversity quota broken");
  });

  it("a page of 20 with creators costs one store call per entity kind (no N+1)", async () => {
    const data = await run(operation("recommendations.graphql"), { userId: "demo-user-0", first: 20 });
    assert.equal(data.recommendations.items.length, 20);
    assert.deepEqual(calls, { recommend: 1, videosByIds: 1, creatorsByIds: 1 });
  });

  it("filters are applied in recall: only the asked language, pages stay full", async () => {
    const data = await run(operation("recommendations.graphql"), { userId: "demo-user-skater-pt", first: 10, filter: { languages: ["en"] } });
    assert.equal(data.recommendations.items.length, 10);
    assert.ok(data.recommendations.items.every((i: any) => i.video.language === "en"));
  });

  it("says so for an unknown user, video or creator", async () => {
    assert.deepEqual({ ...(await run(operation("recommendations.graphql"), { userId: "nobody" })).recommendations }, { __typename: "UnknownUser", userId: "nobody" });
    assert.equal((await run(operation("similar.graphql"), { videoId: "1" }, "SimilarVideos")).similarVideos.__typename, "UnknownVideo");
    assert.equal((await run(operation("similar.graphql"), { creatorId: "1" }, "SimilarCreators")).similarCreators.__typename, "UnknownCreator");
  });

  it("similar creators exclude the creator and start with its topic", async () => {
    const skateEn = readJson(`${dir}/users/skate_en_0.json`).user.id;
    const items = (await run(operation("similar.graphql"), { creatorId: skateEn, first: 5 }, "SimilarCreators")).similarCreators.items;
    assert.equal(items.length, 5);
    assert.ok(items.every((i: any) => i.creator.creatorId !== skateEn));
    assert.match(items[0].creator.username, /^skate_/);
  });

  it("similar videos exclude the video itself", async () => {
    const videoId = skaterComments[0]!;
    const items = (await run(operation("similar.graphql"), { videoId, first: 5 }, "SimilarVideos")).similarVideos.items;
    assert.equal(items.length, 5);
    assert.ok(items.every((i: any) => i.video.videoId !== videoId));
  });

  it("rejects a bad page size with BAD_USER_INPUT", async () => {
    const result = await graphql({ schema, source: operation("recommendations.graphql"), variableValues: { userId: "x", first: 500 }, contextValue: { services, loaders: createLoaders(services) } });
    assert.equal(result.errors?.[0]?.extensions.code, "BAD_USER_INPUT");
  });
});
