import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyDiversityQuota, applyDiversityQuotaPaged } from "../../src/recommend/rules/diversity-quota.js";

/** "a1" is creator "a"'s first video in ranked order; the list is in the order given. */
const items = (...ids: string[]) => ids.map((id) => ({ id, creatorId: id[0]! }));
const ids = (list: { id: string }[]) => list.map((i) => i.id);

describe("diversity quota, one page", () => {
  it("fills the page best-first within the quota; the over-quota and the overflow follow in ranked order", () => {
    // max 2, page 4: a1 a2 take a's quota, a3 waits, b1 c1 fill the page, the rest follow.
    assert.deepEqual(ids(applyDiversityQuota(items("a1", "a2", "a3", "b1", "c1", "b2", "a4", "c2"), 2, 4)), [
      "a1",
      "a2",
      "b1",
      "c1",
      "a3",
      "b2",
      "a4",
      "c2",
    ]);
  });

  it("quota 1 on a page of 3", () => {
    // a1 placed, a2 a3 deferred, b1 placed, b2 deferred, c1 fills the page, d1 is overflow.
    assert.deepEqual(ids(applyDiversityQuota(items("a1", "a2", "a3", "b1", "b2", "c1", "d1"), 1, 3)), [
      "a1",
      "b1",
      "c1",
      "a2",
      "a3",
      "b2",
      "d1",
    ]);
  });
});

describe("diversity quota on every page", () => {
  it("an empty list stays empty", () => {
    assert.deepEqual(applyDiversityQuotaPaged([], 2, 10), []);
  });

  it("the normal case: every page of 3 has at most 1 per creator while creators last", () => {
    // page 1: a1 b1 c1; left a2 a3 b2 d1 -> page 2: a2 b2 d1 (a3 deferred again); page 3: a3.
    const out = applyDiversityQuotaPaged(items("a1", "a2", "a3", "b1", "b2", "c1", "d1"), 1, 3);
    assert.deepEqual(ids(out), ["a1", "b1", "c1", "a2", "b2", "d1", "a3"]);
  });

  it("the quota restarts on each page: page 2 counts only its own items", () => {
    // max 2, page 2: page 1 a1 a2; page 2 a3 a4 (a's count is back to 0); page 3 b1.
    assert.deepEqual(ids(applyDiversityQuotaPaged(items("a1", "a2", "a3", "a4", "b1"), 2, 2)), [
      "a1",
      "a2",
      "a3",
      "a4",
      "b1",
    ]);
  });

  it("a quota larger than the page never binds: the ranked order is kept", () => {
    assert.deepEqual(ids(applyDiversityQuotaPaged(items("a1", "a2", "a3", "a4", "b1"), 5, 3)), [
      "a1",
      "a2",
      "a3",
      "a4",
      "b1",
    ]);
  });

  it("one creator only: nothing is dropped and the order is kept (over-quota items fill the page)", () => {
    // Documented: items over the quota move behind the page rather than vanish, so a page is
    // only short when the list is. With no other creator, page 1 (size 3) is a1 a2 a3.
    const out = applyDiversityQuotaPaged(items("a1", "a2", "a3", "a4", "a5"), 2, 3);
    assert.deepEqual(ids(out), ["a1", "a2", "a3", "a4", "a5"]);
  });

  it("items the quota cannot place are kept: over-quota ones go to the end when no other creator is left", () => {
    // max 1, page 2: page 1 a1 b1; left a2 a3 b2 -> page 2 a2 b2; left a3 -> page 3 a3.
    const out = applyDiversityQuotaPaged(items("a1", "a2", "a3", "b1", "b2"), 1, 2);
    assert.deepEqual(ids(out), ["a1", "b1", "a2", "b2", "a3"]);
    assert.equal(out.length, 5);
  });

  it("a page shorter than pageSize only at the end of the list", () => {
    // max 1, page 4, 5 items of 5 creators: one page of 4 and one of 1, order unchanged.
    assert.deepEqual(ids(applyDiversityQuotaPaged(items("a1", "b1", "c1", "d1", "e1"), 1, 4)), [
      "a1",
      "b1",
      "c1",
      "d1",
      "e1",
    ]);
  });

  it("does not modify its input", () => {
    const input = items("a1", "a2", "b1");
    applyDiversityQuotaPaged(input, 1, 2);
    assert.deepEqual(ids(input), ["a1", "a2", "b1"]);
  });
});
