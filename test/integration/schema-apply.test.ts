import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../../src/platform/logger.js";
import { applySchema, fetchClass, SchemaMismatchError } from "../../src/store/class-schema.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

describe("applying weaviate/classes to a live server", () => {
  let w: TestWeaviate;
  before(async () => (w = await startTestWeaviate({ schema: false })));
  after(async () => w?.dispose());

  it("creates every class, then is a no-op when run again", async () => {
    await applySchema(w, silentLogger);
    const first = await fetchClass(w, "Creator");
    await applySchema(w, silentLogger);
    assert.deepEqual(await fetchClass(w, "Creator"), first);
    assert.equal(first!.vectorizer, "ref2vec-centroid");
  });

  it("runs with auto-schema off: an unknown property is refused, not added", async () => {
    await assert.rejects(
      w.client.collections.get("Video").data.insert({ properties: { notAProperty: "x" } as never }),
    );
    const video = await fetchClass(w, "Video");
    assert.ok(!video!.properties.some((p) => p.name === "notAProperty"));
  });

  it("reports an incompatible existing class and leaves it untouched", async () => {
    await w.client.collections.delete("UserVideoInterest");
    await w.client.collections.createFromSchema({
      class: "UserVideoInterest",
      vectorizer: "none",
      properties: [{ name: "userId", dataType: ["int"] }],
    } as never);
    await assert.rejects(applySchema(w, silentLogger), (err: unknown) => {
      assert.ok(err instanceof SchemaMismatchError);
      assert.match(err.message, /UserVideoInterest: vectorizer is "none"/);
      assert.match(err.message, /UserVideoInterest.userId: type int, expected text/);
      return true;
    });
    const live = await fetchClass(w, "UserVideoInterest");
    assert.equal(live!.vectorizer, "none");
    assert.equal(live!.properties.length, 1);
  });
});
