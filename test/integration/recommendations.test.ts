import assert from "node:assert/strict";
import { graphql, type GraphQLSchema } from "graphql";
import { after, before, describe, it } from "node:test";
import type { Encoder } from "../../src/embed/encoder.js";
import type { Services } from "../../src/api/services.js";
import { createLoaders } from "../../src/api/graphql/loaders.js";
import { buildGraphQLSchema } from "../../src/api/graphql/schema.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { silentLogger } from "../../src/platform/logger.js";
import { createServices } from "../../src/app/create-services.js";
import { createMetrics } from "../../src/platform/metrics.js";
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
    await createIngestRunner({ weaviate: w, encoder, log: silentLogger }).run(dump, dump.usernames(), {
      trigger: "test",
    });
    // Without the cross-encoder: these tests are about recall, the blend and the rules (rerank.test.ts covers it).
    const real = createServices({ weaviate: w, coldStart: { minComments: 3, minMembers: 3 } }, encoder, {
      rerankStatus: { enabled: false, budgetMs: 0 },
      metrics: createMetrics(),
      log: silentLogger,
    });
    // Count store round trips per service, to prove the loaders batch.
    services = Object.fromEntries(
      Object.entries(real).map(([name, fn]) => [
        name,
        (...args: unknown[]) => (
          (calls[name] = (calls[name] ?? 0) + 1),
          (fn as (...a: unknown[]) => unknown)(...args)
        ),
      ]),
    ) as unknown as Services;
    for (const name of dump.usernames()) {
      const user = readJson(`${dir}/users/${name}.json`).user;
      for (const v of readJson(`${dir}/posts/${user.id}.json`).videos) {
        if (
          readJson(`${dir}/comments/${v.video_id}.json`).comments.some(
            (c: any) => c.user.id === "demo-user-skater-pt",
          )
        )
          skaterComments.push(v.video_id);
      }
    }
  });
  after(async () => {
    await encoder?.dispose();
    await w?.dispose();
  });

  const run = async (
    source: string,
    variableValues: Record<string, unknown>,
    operationName?: string,
    role: "admin" | "partner" = "admin",
  ) => {
    for (const k of Object.keys(calls)) delete calls[k];
    const contextValue = { caller: { name: "test", role }, services, loaders: createLoaders(services) };
    const result = await graphql({ schema, source, variableValues, operationName, contextValue });
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data as any;
  };

  it("a Portuguese-speaking skateboarder gets skate videos, English ones included, never one already commented on", async () => {
    const data = await run(operation("recommendations.graphql"), {
      userId: "demo-user-skater-pt",
      first: 10,
      explain: true,
    });
    const page = data.recommendations;
    assert.equal(page.__typename, "RecommendationPage");
    assert.equal(page.items.length, 10);
    const videos = page.items.map((i: any) => i.video);
    assert.ok(
      videos.every((v: any) => !skaterComments.includes(v.videoId)),
      "a commented video came back",
    );
    const skate = videos.filter((v: any) =>
      v.hashtags.some((t: string) => t.startsWith("skate") || t === "kickflip"),
    );
    assert.ok(skate.length >= 5, `only ${skate.length} of 10 are skate videos`);
    assert.ok(
      skate.some((v: any) => v.language === "en"),
      "no English skate video",
    );
    assert.ok(page.items.every((i: any) => i.explain && i.explain.rankedPosition >= 1));
    const perCreator = new Map<string, number>();
    for (const v of videos)
      perCreator.set(v.creator.creatorId, (perCreator.get(v.creator.creatorId) ?? 0) + 1);
    assert.ok(Math.max(...perCreator.values()) <= 2, "diversity quota broken");
  });

  it("a page of 20 with creators costs one store call per entity kind (no N+1)", async () => {
    const data = await run(operation("recommendations.graphql"), { userId: "demo-user-0", first: 20 });
    assert.equal(data.recommendations.items.length, 20);
    assert.deepEqual(calls, { recommend: 1, videosByIds: 1, creatorsByIds: 1 });
  });

  it("filters are applied in recall: only the asked language, pages stay full", async () => {
    const data = await run(operation("recommendations.graphql"), {
      userId: "demo-user-skater-pt",
      first: 10,
      filter: { languages: ["en"] },
    });
    assert.equal(data.recommendations.items.length, 10);
    assert.ok(data.recommendations.items.every((i: any) => i.video.language === "en"));
  });

  it("says so for an unknown user, video or creator", async () => {
    assert.deepEqual(
      { ...(await run(operation("recommendations.graphql"), { userId: "nobody" })).recommendations },
      { __typename: "UnknownUser", userId: "nobody" },
    );
    assert.equal(
      (await run(operation("similar.graphql"), { videoId: "1" }, "SimilarVideos")).similarVideos.__typename,
      "UnknownVideo",
    );
    assert.equal(
      (await run(operation("similar.graphql"), { creatorId: "1" }, "SimilarCreators")).similarCreators
        .__typename,
      "UnknownCreator",
    );
  });

  it("similar creators exclude the creator and start with its topic", async () => {
    const skateEn = readJson(`${dir}/users/skate_en_0.json`).user.id;
    const items = (
      await run(operation("similar.graphql"), { creatorId: skateEn, first: 5 }, "SimilarCreators")
    ).similarCreators.items;
    assert.equal(items.length, 5);
    assert.ok(items.every((i: any) => i.creator.creatorId !== skateEn));
    assert.match(items[0].creator.username, /^skate_/);
  });

  it("similar videos exclude the video itself", async () => {
    const videoId = skaterComments[0]!;
    const items = (await run(operation("similar.graphql"), { videoId, first: 5 }, "SimilarVideos"))
      .similarVideos.items;
    assert.equal(items.length, 5);
    assert.ok(items.every((i: any) => i.video.videoId !== videoId));
  });

  it("rejects a bad page size with BAD_USER_INPUT", async () => {
    const result = await graphql({
      schema,
      source: operation("recommendations.graphql"),
      variableValues: { userId: "x", first: 500 },
      contextValue: { services, loaders: createLoaders(services) },
    });
    assert.equal(result.errors?.[0]?.extensions.code, "BAD_USER_INPUT");
  });

  it("admin curation: blocked creators and hashtags vanish, sponsored slots appear only where they pass the filters", async () => {
    const feed = async (filter?: unknown) =>
      (
        await run(operation("recommendations.graphql"), {
          userId: "demo-user-skater-pt",
          first: 10,
          filter,
          explain: true,
        })
      ).recommendations.items as any[];
    const before = await feed();
    const topCreator = before[0].video.creator.creatorId;
    const curate = `mutation($kind: CurationKind!, $value: ID!, $position: Int) { curate(kind: $kind, value: $value, position: $position) { kind value position createdBy } }`;
    await run(curate, { kind: "BLOCK_CREATOR", value: topCreator });
    await run(curate, { kind: "BLOCK_HASHTAG", value: "#Kickflip" });
    const cooking = readJson(`${dir}/users/cooking_es_11.json`).user.id;
    const sponsoredVideo = readJson(`${dir}/posts/${cooking}.json`).videos[0];
    await run(curate, { kind: "SPONSORED", value: sponsoredVideo.video_id, position: 2 });

    const after = await feed();
    assert.equal(after.length, 10);
    assert.ok(
      after.every((i) => i.video.creator.creatorId !== topCreator),
      "a blocked creator is still served",
    );
    assert.ok(
      after.every((i) => !i.video.hashtags.includes("kickflip")),
      "a blocked hashtag is still served",
    );
    assert.equal(after[1].video.videoId, sponsoredVideo.video_id);
    assert.equal(after[1].sponsored, true);
    assert.match(after[1].explain.rules.join(), /sponsored slot at position 2/);
    assert.equal(after.filter((i) => i.sponsored).length, 1);

    const englishOnly = await feed({ languages: ["en"] });
    assert.ok(
      englishOnly.every((i) => !i.sponsored),
      "a sponsored video outside the user's filters was shown",
    );

    const list = (await run("{ curation { kind value position } }", {})).curation;
    assert.equal(list.length, 3);
    for (const c of list)
      assert.equal(
        (
          await run(`mutation($k: CurationKind!, $v: ID!) { uncurate(kind: $k, value: $v) }`, {
            k: c.kind,
            v: c.value,
          })
        ).uncurate,
        true,
      );
    assert.deepEqual(
      (await feed()).map((i) => i.video.videoId),
      before.map((i) => i.video.videoId),
    );
  });

  it("refuses curation to a partner key", async () => {
    const result = await graphql({
      schema,
      source: `mutation { curate(kind: BLOCK_HASHTAG, value: "x") { value } }`,
      contextValue: { caller: { name: "p", role: "partner" }, services, loaders: createLoaders(services) },
    });
    assert.equal(result.errors?.[0]?.extensions.code, "UNAUTHORIZED");
    assert.equal((await services.curation()).length, 0);
  });
});
