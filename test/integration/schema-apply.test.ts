import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { silentLogger } from "../../src/platform/logger.js";
import {
  applySchema,
  fetchClass,
  loadClassDefinitions,
  SchemaMismatchError,
} from "../../src/store/class-schema.js";
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

  it("adds a property the definition gained since the store was made, and keeps the objects", async () => {
    const defs = loadClassDefinitions();
    // clickedVideoIds came with the click feedback: stores made before it lack the property.
    const name = "UserVideoInterest";
    const want = defs.find((d) => d.class === name)!;
    const older = defs.map((d) =>
      d.class === name ? { ...d, properties: d.properties.filter((p) => p.name !== "clickedVideoIds") } : d,
    );
    await w.client.collections.delete(name);
    await applySchema(w, silentLogger, older);
    const id = await w.client.collections.get(name).data.insert({ properties: { userId: "u-old" } });
    assert.ok(!(await fetchClass(w, name))!.properties.some((p) => p.name === "clickedVideoIds"));
    await applySchema(w, silentLogger, defs);
    const live = await fetchClass(w, name);
    assert.deepEqual(live!.properties.map((p) => p.name).sort(), want.properties.map((p) => p.name).sort());
    const kept = await w.client.collections.get(name).query.fetchObjectById(id);
    assert.equal(kept?.properties.userId, "u-old");
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
