import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rankedItem } from "../helpers/items.js";
import { demoteIgnored } from "../../src/recommend/rules/ignored-items.js";

/** Items a..(a+n-1), ranked in that order. */
const list = (n: number) =>
  Array.from({ length: n }, (_, i) => rankedItem(String.fromCharCode(97 + i), i + 1));
const ids = (items: { videoId: string }[]) => items.map((i) => i.videoId).join("");

describe("demoteIgnored", () => {
  it("an item shown 4 times at 2 places a showing drops 8 places, passing the 8 below it", () => {
    const items = list(12); // abcdefghijkl
    const out = demoteIgnored(items, new Map([["b", 4]]), { placesPerShowing: 2 });
    // b was 2nd; c..j (8 items) pass it, so it is 10th, ahead of k and l.
    assert.equal(ids(out), "acdefghijbkl");
    assert.deepEqual(out[9]!.rules, ["shown 4 times, never clicked: moved down from 2 to 10"]);
    assert.deepEqual(
      out.filter((i) => i.videoId !== "b").map((i) => i.rules),
      Array.from({ length: 11 }, () => []),
      "only the ignored item gets a note",
    );
  });

  it("keeps rankedPosition, so the explain trail still shows the ranked place", () => {
    const out = demoteIgnored(list(5), new Map([["a", 1]]), { placesPerShowing: 2 });
    assert.equal(ids(out), "bcade");
    assert.deepEqual(
      out.map((i) => i.rankedPosition),
      [2, 3, 1, 4, 5],
    );
  });

  it("more showings sink further", () => {
    // a shown 1 time drops 1 place (to 2nd); c shown 3 times drops 3 (from 3rd to 6th).
    const out = demoteIgnored(
      list(7),
      new Map([
        ["a", 1],
        ["c", 3],
      ]),
      { placesPerShowing: 1 },
    );
    assert.equal(ids(out), "badefcg");
    assert.deepEqual(out[1]!.rules, ["shown 1 time, never clicked: moved down from 1 to 2"]);
    assert.deepEqual(out[5]!.rules, ["shown 3 times, never clicked: moved down from 3 to 6"]);
  });

  it("a drop past the end stops at the end; the last item says it was kept", () => {
    const out = demoteIgnored(
      list(4),
      new Map([
        ["b", 10],
        ["d", 2],
      ]),
      { placesPerShowing: 1 },
    );
    // b goes behind c and would go past the end; d is last already. Ignored items keep their
    // order, so b stays ahead of d.
    assert.equal(ids(out), "acbd");
    assert.deepEqual(out[2]!.rules, ["shown 10 times, never clicked: moved down from 2 to 3"]);
    assert.deepEqual(out[3]!.rules, ["shown 2 times, never clicked: kept at 4"]);
  });

  it("ignored items keep their order among themselves, so none moves up", () => {
    // a drops 5 places, b only 1: b was ranked below a, so it stays below a rather than pass it.
    const out = demoteIgnored(
      list(8),
      new Map([
        ["a", 5],
        ["b", 1],
      ]),
      { placesPerShowing: 1 },
    );
    // a's key 5.5 lands it behind f (index 5); b's own key 2.5 is raised to a's, so it follows a.
    assert.equal(ids(out), "cdefabgh");
    assert.deepEqual(
      out.slice(4, 6).map((i) => i.rules[0]),
      [
        "shown 5 times, never clicked: moved down from 1 to 5",
        "shown 1 time, never clicked: moved down from 2 to 6",
      ],
    );
  });

  it("appends to earlier notes, leaves the input array alone, and an empty map changes nothing", () => {
    const items = [rankedItem("x", 1, { rules: ["earlier"] }), rankedItem("y", 2)];
    const out = demoteIgnored(items, new Map([["x", 3]]), { placesPerShowing: 1 });
    assert.equal(ids(out), "yx");
    assert.equal(ids(items), "xy");
    assert.deepEqual(out[1]!.rules, ["earlier", "shown 3 times, never clicked: moved down from 1 to 2"]);
    const same = list(3);
    assert.equal(ids(demoteIgnored(same, new Map(), { placesPerShowing: 2 })), "abc");
    assert.ok(same.every((i) => i.rules.length === 0));
    assert.deepEqual(demoteIgnored([], new Map([["a", 9]]), { placesPerShowing: 2 }), []);
  });
});
