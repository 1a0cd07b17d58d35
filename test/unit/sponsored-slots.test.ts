import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RecommendedItem } from "../../src/domain/recommended-item.js";
import type { CurationRule } from "../../src/recommend/rules/blocklists.js";
import { applySponsoredSlots, sponsoredSlots } from "../../src/recommend/rules/sponsored-slots.js";

const v = (videoId: string, sponsored = false) => ({ videoId, sponsored });
const ids = (list: { videoId: string }[]) => list.map((i) => i.videoId);
const organic = () => ["o1", "o2", "o3"].map((id) => v(id));

describe("applySponsoredSlots", () => {
  it("a slot at 0 goes first", () => {
    assert.deepEqual(ids(applySponsoredSlots(organic(), [{ position: 0, item: v("s", true) }])), [
      "s",
      "o1",
      "o2",
      "o3",
    ]);
  });

  it("a slot beyond the list's end goes last", () => {
    assert.deepEqual(ids(applySponsoredSlots(organic(), [{ position: 10, item: v("s", true) }])), [
      "o1",
      "o2",
      "o3",
      "s",
    ]);
    assert.deepEqual(ids(applySponsoredSlots([], [{ position: 3, item: v("s", true) }])), ["s"]);
  });

  it("a sponsored video already in the organic list moves to its slot, once, as the sponsored item", () => {
    // organic o1 s o3 -> without s: o1 o3 -> s at 0-based 2: o1 o3 s
    const slot = v("s", true);
    const out = applySponsoredSlots([v("o1"), v("s"), v("o3")], [{ position: 2, item: slot }]);
    assert.deepEqual(ids(out), ["o1", "o3", "s"]);
    assert.equal(out[2], slot);
  });

  it("two slots, given out of order, land at their own positions", () => {
    // sorted: x at 1 -> o1 x o2 o3; then y at 3 -> o1 x o2 y o3
    const out = applySponsoredSlots(organic(), [
      { position: 3, item: v("y", true) },
      { position: 1, item: v("x", true) },
    ]);
    assert.deepEqual(ids(out), ["o1", "x", "o2", "y", "o3"]);
  });

  it("no slots: the organic list unchanged, and the input is not modified", () => {
    const input = organic();
    assert.deepEqual(ids(applySponsoredSlots(input, [])), ["o1", "o2", "o3"]);
    applySponsoredSlots(input, [{ position: 0, item: v("o2", true) }]);
    assert.deepEqual(ids(input), ["o1", "o2", "o3"]);
  });
});

describe("sponsoredSlots", () => {
  const curation: CurationRule[] = [
    { kind: "sponsored", value: "v1", position: 2 },
    { kind: "sponsored", value: "v2" },
    { kind: "blockVideo", value: "v3", position: 0 },
    { kind: "sponsored", value: "v4", position: 1 },
  ];
  // v4 failed the user's filters: the store did not return it. v3 passed but is not sponsored.
  const eligible = [
    { videoId: "v2", creatorId: "c2" },
    { videoId: "v1", creatorId: "c1" },
    { videoId: "v3", creatorId: "c3" },
  ];

  it("only sponsored entries whose video passed the filters get a slot", () => {
    assert.deepEqual(
      sponsoredSlots(curation, eligible).map((s) => [s.position, s.item.videoId]),
      [
        [0, "v2"], // no position: slot 0
        [2, "v1"],
      ],
    );
  });

  it("builds the item marked sponsored, with its explain rule (1-based position)", () => {
    const slot = sponsoredSlots(curation, eligible).find((s) => s.item.videoId === "v1")!;
    const expected: RecommendedItem = {
      videoId: "v1",
      creatorId: "c1",
      score: 0,
      similarity: 0,
      signals: { content: 0, affinity: 0, popularity: 0, freshness: 0, activity: 0 },
      rankedPosition: 0,
      rules: ["sponsored slot at position 3"],
      sponsored: true,
    };
    assert.deepEqual(slot.item, expected);
  });

  it("no curation, no sponsored entries, or no eligible videos: no slots", () => {
    assert.deepEqual(sponsoredSlots([], eligible), []);
    assert.deepEqual(sponsoredSlots([{ kind: "blockVideo", value: "v1" }], eligible), []);
    assert.deepEqual(sponsoredSlots(curation, []), []);
  });

  it("end to end with applySponsoredSlots: v2 first, v1 third, organic around them", () => {
    // o1 o2 o3 -> v2 at 0: v2 o1 o2 o3 -> v1 at 2: v2 o1 v1 o2 o3
    assert.deepEqual(
      ids(applySponsoredSlots(organic() as unknown as RecommendedItem[], sponsoredSlots(curation, eligible))),
      ["v2", "o1", "v1", "o2", "o3"],
    );
  });
});
