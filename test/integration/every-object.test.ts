import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { everyObject } from "../../src/store/collections/every-object.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

/** Classes and their sizes: none, under a page, exactly two pages, one past a page. */
const CLASSES = [
  ["Empty", 0],
  ["Few", 7],
  ["TwoFullPages", 2000],
  ["PastAPage", 1001],
] as const;

describe("everyObject: a whole class by cursor pages", () => {
  let w: TestWeaviate;
  before(async () => {
    w = await startTestWeaviate({ schema: false });
    for (const [name, count] of CLASSES) {
      const coll = await w.client.collections.create({ name, properties: [{ name: "n", dataType: "int" }] });
      for (let start = 0; start < count; start += 500) {
        const objects = Array.from({ length: Math.min(500, count - start) }, (_, i) => ({ n: start + i }));
        const res = await coll.data.insertMany(objects);
        assert.equal(res.hasErrors, false);
      }
    }
  });
  after(async () => w?.dispose());

  for (const [name, count] of CLASSES)
    it(`reads each of ${count} objects once, in id order (${name})`, async () => {
      const coll = w.client.collections.get<{ n: number }>(name);
      const ids: string[] = [];
      const ns = new Set<number>();
      for await (const o of everyObject((p) => coll.query.fetchObjects({ ...p, returnProperties: ["n"] }))) {
        ids.push(o.uuid);
        ns.add(o.properties.n);
      }
      assert.equal(ids.length, count);
      assert.equal(new Set(ids).size, count, "no object twice");
      assert.deepEqual(
        [...ns].sort((a, b) => a - b),
        Array.from({ length: count }, (_, i) => i),
      );
      assert.deepEqual(ids, [...ids].sort(), "the cursor's id order");
    });
});
