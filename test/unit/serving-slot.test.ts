import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { servingSlot } from "../../src/recommend/registry/serving-slot.js";

describe("serving slot: atomic swap, disposal after the last lease", () => {
  it("hands each lease the model of its moment and disposes the old one only when its leases end", async () => {
    const disposed: string[] = [];
    const slot = servingSlot<string>({ id: "a", model: "A" }, async (m) => void disposed.push(m));
    const first = slot.acquire();
    const second = slot.acquire();
    const drained = slot.swap("b", "B");
    const third = slot.acquire();
    assert.deepEqual([first.model, second.model, third.model], ["A", "A", "B"]);
    assert.deepEqual(slot.current(), { id: "b", model: "B" });
    first.release();
    first.release(); // twice counts once
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(disposed, [], "A still has a lease");
    second.release();
    await drained;
    assert.deepEqual(disposed, ["A"]);
    third.release();
    assert.deepEqual(disposed, ["A"], "the serving model is never disposed by its leases");
    await slot.close();
    assert.deepEqual(disposed, ["A", "B"]);
  });

  it("disposes at once a retired model nobody holds, and swaps to none", async () => {
    const disposed: string[] = [];
    const slot = servingSlot<string>({ id: "a", model: "A" }, async (m) => void disposed.push(m));
    await slot.swap(null, undefined);
    assert.deepEqual(disposed, ["A"]);
    const lease = slot.acquire();
    assert.equal(lease.id, null);
    assert.equal(lease.model, undefined);
    lease.release();
  });
});
