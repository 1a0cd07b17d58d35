import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { objectId } from "../../src/store/object-ids.js";
import { addReferences, removeReferences } from "../../src/store/references.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";
import { cosine, mean, seededVectors } from "../helpers/vectors.js";

// Proves on a live weaviate-server that every ref2vec centroid the store leaves behind is the
// mean of what it references, whichever way the references were written.
describe("ref2vec-centroid freshness (live Weaviate)", () => {
  let w: TestWeaviate;
  const vectors = seededVectors(8);
  const videoIds = vectors.map((_, i) => objectId("Video", `v${i}`));
  const creatorA = objectId("Creator", "a");
  const creatorB = objectId("Creator", "b");

  before(async () => {
    w = await startTestWeaviate();
    const videos = w.client.collections.get("Video");
    const inserted = await videos.data.insertMany(
      vectors.map((v, i) => ({
        id: videoIds[i]!,
        properties: { videoId: `v${i}`, title: `video ${i}` },
        vectors: v,
      })),
    );
    assert.equal(inserted.hasErrors, false);
  });
  after(async () => w?.dispose());

  async function centroidOf(id: string): Promise<number[] | undefined> {
    const obj = await w.client.collections.get("Creator").query.fetchObjectById(id, { includeVector: true });
    const v = obj?.vectors?.default;
    return v && (v as number[]).length > 0 ? (v as number[]) : undefined;
  }

  async function assertCentroid(id: string, indices: number[]) {
    const got = await centroidOf(id);
    assert.ok(got, `creator ${id} has no vector`);
    const want = mean(indices.map((i) => vectors[i]!));
    const c = cosine(got, want);
    assert.ok(c >= 0.9999, `centroid cosine to the mean of videos [${indices}] is ${c.toFixed(5)}`);
  }

  it("insert with references gives the mean", async () => {
    const creators = w.client.collections.get("Creator");
    await creators.data.insert({
      id: creatorA,
      properties: { creatorId: "a" },
      references: { videos: [videoIds[0]!, videoIds[1]!] },
    });
    await creators.data.insert({
      id: creatorB,
      properties: { creatorId: "b" },
      references: { videos: [videoIds[4]!] },
    });
    await assertCentroid(creatorA, [0, 1]);
    await assertCentroid(creatorB, [4]);
  });

  it("a single added reference keeps the centroid fresh", async () => {
    await addReferences(w, "Creator", "videos", [{ from: creatorA, to: videoIds[2]! }]);
    await assertCentroid(creatorA, [0, 1, 2]);
  });

  it("raw batch reference adds leave Weaviate's centroid stale (why the store refreshes)", async () => {
    const creators = w.client.collections.get("Creator");
    await creators.data.referenceAddMany([{ fromUuid: creatorB, fromProperty: "videos", to: videoIds[5]! }]);
    const stale = await centroidOf(creatorB);
    const c = cosine(stale!, mean([vectors[4]!, vectors[5]!]));
    assert.ok(
      c < 0.9999,
      `Weaviate now refreshes after referenceAddMany (cosine ${c}); the store's refresh may be dropped`,
    );
  });

  it("batch adds across several parents leave every centroid fresh", async () => {
    await addReferences(w, "Creator", "videos", [
      { from: creatorA, to: videoIds[3]! },
      { from: creatorB, to: videoIds[6]! },
      { from: creatorB, to: videoIds[7]! },
    ]);
    await assertCentroid(creatorA, [0, 1, 2, 3]);
    await assertCentroid(creatorB, [4, 5, 6, 7]);
  });

  it("deletes leave the centroid fresh", async () => {
    await removeReferences(w, "Creator", "videos", [
      { from: creatorA, to: videoIds[0]! },
      { from: creatorB, to: videoIds[4]! },
      { from: creatorB, to: videoIds[5]! },
    ]);
    await assertCentroid(creatorA, [1, 2, 3]);
    await assertCentroid(creatorB, [6, 7]);
  });

  it("a parent with no references left has no vector and drops out of nearVector", async () => {
    await removeReferences(w, "Creator", "videos", [
      { from: creatorB, to: videoIds[6]! },
      { from: creatorB, to: videoIds[7]! },
    ]);
    assert.equal(await centroidOf(creatorB), undefined);
    const hits = await w.client.collections.get("Creator").query.nearVector(vectors[6]!, { limit: 10 });
    assert.deepEqual(
      hits.objects.map((o) => o.uuid),
      [creatorA],
    );
  });
});
