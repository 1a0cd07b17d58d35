import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rankedItem } from "../helpers/items.js";
import { noteMoves } from "../../src/recommend/rules/note-moves.js";

const item = (videoId: string, rankedPosition: number, rules: string[] = []) =>
  rankedItem(videoId, rankedPosition, { rules });

describe("noteMoves", () => {
  it("notes each moved item's ranked and new 1-based place; items in place get nothing", () => {
    // x was 2nd, now 1st; y was 1st, now 2nd; z stays 3rd.
    const page = noteMoves([item("x", 2), item("y", 1), item("z", 3)], "quota");
    assert.deepEqual(
      page.map((i) => i.rules),
      [["quota: moved from 2 to 1"], ["quota: moved from 1 to 2"], []],
    );
  });

  it("appends to the rules an item already has, and returns the same page", () => {
    const page = [item("x", 1), item("y", 5, ["earlier"])];
    assert.equal(noteMoves(page, "r"), page);
    assert.deepEqual(page[1]!.rules, ["earlier", "r: moved from 5 to 2"]);
    assert.deepEqual(page[0]!.rules, []);
  });

  it("with the list an earlier rule produced, a move is counted from there, not from the ranked place", () => {
    // An earlier rule put y (ranked 1st) 2nd; this rule keeps it 2nd: no note. x moved 1st -> 3rd.
    const x = item("x", 2);
    const y = item("y", 1);
    const z = item("z", 3);
    noteMoves([z, y, x], "quota", [x, y, z]);
    assert.deepEqual(
      [x, y, z].map((i) => i.rules),
      [["quota: moved from 1 to 3"], [], ["quota: moved from 3 to 1"]],
    );
  });

  it("an empty page", () => {
    assert.deepEqual(noteMoves([], "r"), []);
  });
});
