import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withBlocklists, type CurationRule } from "../../src/recommend/rules/blocklists.js";

describe("withBlocklists", () => {
  const curation: CurationRule[] = [
    { kind: "blockVideo", value: "v9" },
    { kind: "blockCreator", value: "c9" },
    { kind: "sponsored", value: "v1", position: 0 },
    { kind: "blockHashtag", value: "spam" },
    { kind: "blockVideo", value: "v8" },
    { kind: "somethingElse", value: "x" },
  ];

  it("appends each blocklist to the matching exclusion, after the request's own, in curation order", () => {
    const out = withBlocklists(
      { excludeVideoIds: ["seen1"], excludeCreatorIds: ["c1"], languages: ["en"] },
      curation,
    );
    assert.deepEqual(out, {
      excludeVideoIds: ["seen1", "v9", "v8"],
      excludeCreatorIds: ["c1", "c9"],
      excludeHashtags: ["spam"],
      languages: ["en"],
    });
  });

  it("ignores kinds other than the three blocklists (sponsored videos are not excluded)", () => {
    const out = withBlocklists({}, [
      { kind: "sponsored", value: "v1" },
      { kind: "pin", value: "v2" },
    ]);
    assert.deepEqual(out, { excludeVideoIds: [], excludeCreatorIds: [], excludeHashtags: [] });
  });

  it("no curation at all keeps the request's exclusions and adds empty lists", () => {
    assert.deepEqual(withBlocklists({ excludeHashtags: ["a"] }, []), {
      excludeVideoIds: [],
      excludeCreatorIds: [],
      excludeHashtags: ["a"],
    });
  });

  it("does not modify the request's filters", () => {
    const filters = { excludeVideoIds: ["seen1"] };
    withBlocklists(filters, curation);
    assert.deepEqual(filters, { excludeVideoIds: ["seen1"] });
  });
});
