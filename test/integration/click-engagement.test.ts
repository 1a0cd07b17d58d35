import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Encoder } from "../../src/embed/encoder.js";
import { recordComment } from "../../src/ingest/first-party.js";
import { recordClicks } from "../../src/store/click-engagement.js";
import { userInterest } from "../../src/store/interest-lookup.js";
import { objectId } from "../../src/store/object-ids.js";
import { testEncoder } from "../helpers/encoder.js";
import { cosine, mean, seededVectors } from "../helpers/vectors.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

// Clicks join the engaged videos on a live weaviate-server: centroid, seen list, affinity, and
// they survive the interest rebuild a later comment triggers.
describe("click engagement (live Weaviate)", () => {
  let w: TestWeaviate;
  let encoder: Encoder;
  const vectors = seededVectors(60, 384, 7);
  const vec = (i: number) => vectors[i]!;
  const interest = async (userId: string) => (await userInterest(w, userId))!;

  before(async () => {
    [w, encoder] = await Promise.all([startTestWeaviate(), testEncoder()]);
    const inserted = await w.client.collections.get("Video").data.insertMany(
      vectors.map((v, i) => ({
        id: objectId("Video", `v${i}`),
        properties: { videoId: `v${i}`, title: `video ${i}`, creatorId: `c${i % 5}`, language: "en" },
        vectors: v,
      })),
    );
    assert.equal(inserted.hasErrors, false);
    await recordComment(w, encoder, { userId: "u1", videoId: "v0", text: "love this skate trick" });
  });
  after(async () => {
    await encoder?.dispose();
    await w?.dispose();
  });

  const assertCentroid = async (userId: string, indices: number[]) => {
    const got = (await interest(userId)).videoVector!;
    const c = cosine(got, mean(indices.map(vec)));
    assert.ok(c >= 0.9999, `${userId}'s video vector has cosine ${c.toFixed(5)} to the mean of [${indices}]`);
  };

  it("a click moves the video vector to the centroid with the clicked video, which is then seen", async () => {
    const before = await interest("u1");
    assert.deepEqual(before.commentedVideoIds, ["v0"]);
    const cosBefore = cosine(before.videoVector!, vec(1));
    const res = await recordClicks(w, [{ userId: "u1", videoId: "v1" }]);
    assert.deepEqual(res, {
      added: 1,
      repeated: 0,
      alreadyCommented: 0,
      createdUsers: [],
      unknownVideos: [],
    });
    const now = await interest("u1");
    assert.ok(cosine(now.videoVector!, vec(1)) > cosBefore + 0.2, "cosine to the clicked video rose");
    await assertCentroid("u1", [0, 1]);
    assert.deepEqual(now.commentedVideoIds.sort(), ["v0", "v1"]);
    assert.deepEqual([...now.creatorAffinity].sort(), [
      ["c0", 0.5],
      ["c1", 0.5],
    ]);
  });

  it("a repeated click (in one batch or a later one) adds nothing", async () => {
    const vectorBefore = (await interest("u1")).videoVector;
    const res = await recordClicks(w, [
      { userId: "u1", videoId: "v1" },
      { userId: "u1", videoId: "v1" },
    ]);
    assert.equal(res.added, 0);
    assert.equal(res.repeated, 2);
    const now = await interest("u1");
    assert.deepEqual(now.commentedVideoIds.sort(), ["v0", "v1"]);
    assert.deepEqual(now.videoVector, vectorBefore);
  });

  it("unknown videos are skipped and reported; a click on a commented video is kept, not re-added", async () => {
    const res = await recordClicks(w, [
      { userId: "u1", videoId: "nope" },
      { userId: "u1", videoId: "v0" },
    ]);
    assert.deepEqual(res.unknownVideos, [{ userId: "u1", videoId: "nope" }]);
    assert.equal(res.added, 0);
    assert.equal(res.alreadyCommented, 1);
    assert.deepEqual((await interest("u1")).commentedVideoIds.sort(), ["v0", "v1"]);
    await assertCentroid("u1", [0, 1]);
  });

  it("a cold user without any interest object gets one made of the clicks", async () => {
    assert.equal(await userInterest(w, "cold"), undefined);
    const res = await recordClicks(w, [
      { userId: "cold", videoId: "v5" },
      { userId: "cold", videoId: "v6" },
    ]);
    assert.deepEqual(res.createdUsers, ["cold"]);
    assert.equal(res.added, 2);
    const now = await interest("cold");
    assert.deepEqual(now.commentedVideoIds.sort(), ["v5", "v6"]);
    assert.equal(now.commentVector, undefined);
    await assertCentroid("cold", [5, 6]);
  });

  it("clicks survive the interest rebuild that a new comment triggers", async () => {
    await recordComment(w, encoder, { userId: "u1", videoId: "v2", text: "another great trick" });
    assert.deepEqual((await interest("u1")).commentedVideoIds.sort(), ["v0", "v1", "v2"]);
    await assertCentroid("u1", [0, 1, 2]);
    await recordComment(w, encoder, { userId: "cold", videoId: "v7", text: "first comment here" });
    assert.deepEqual((await interest("cold")).commentedVideoIds.sort(), ["v5", "v6", "v7"]);
    await assertCentroid("cold", [5, 6, 7]);
    // The rebuilt object still knows its clicks: clicking again stays a no-op.
    assert.equal((await recordClicks(w, [{ userId: "u1", videoId: "v1" }])).repeated, 1);
  });

  it("one batch of 50 clicks over 20 users (4 of them cold) lands every click", async (t) => {
    for (let u = 0; u < 16; u++)
      await recordComment(w, encoder, { userId: `b${u}`, videoId: `v${10 + u}`, text: `comment ${u}` });
    const clicks = Array.from({ length: 50 }, (_, i) => ({
      userId: `b${i % 20}`,
      videoId: `v${30 + (i % 30)}`,
    }));
    const started = performance.now();
    const res = await recordClicks(w, clicks);
    t.diagnostic(`recordClicks: 50 clicks over 20 users in ${(performance.now() - started).toFixed(0)} ms`);
    assert.equal(res.added, 50);
    assert.deepEqual(res.createdUsers.sort(), ["b16", "b17", "b18", "b19"]);
    // b3 commented on v13 and clicked v33, v53 and v43 (clicks i = 3, 23 and 43).
    assert.deepEqual((await interest("b3")).commentedVideoIds.sort(), ["v13", "v33", "v43", "v53"]);
    await assertCentroid("b3", [13, 33, 43, 53]);
    await assertCentroid("b19", [49, 39]);
  });
});
