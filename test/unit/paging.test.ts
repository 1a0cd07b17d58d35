import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeCursor, encodeCursor, pageInfoOf } from "../../src/api/graphql/paging.js";
import { cutPage } from "../../src/app/serve-page.js";

/** What a page of the API looks like: the service cuts it, the resolver adds the cursor. */
function pageOf<T>(list: T[], first: number, offset = 0) {
  const { items, hasNextPage } = cutPage(list, offset, first);
  return { items, ...pageInfoOf(offset, items.length, hasNextPage) };
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");

describe("cursors", () => {
  it("encodes 'offset:N' as unpadded base64url", () => {
    // "off" -> b2Zm, "set" -> c2V0, ":5" -> OjU (no '=' in base64url)
    assert.equal(encodeCursor(5), "b2Zmc2V0OjU");
  });

  it("round trips", () => {
    for (const n of [0, 1, 20, 199, 999_999]) assert.equal(decodeCursor(encodeCursor(n)), n);
  });

  it("a foreign or malformed cursor is undefined", () => {
    assert.equal(decodeCursor(""), undefined);
    assert.equal(decodeCursor("not a cursor"), undefined);
    assert.equal(decodeCursor(b64("page:3")), undefined);
    assert.equal(decodeCursor(b64("offset:")), undefined);
    assert.equal(decodeCursor(b64("offset:-1")), undefined);
    assert.equal(decodeCursor(b64("offset:2.5")), undefined);
    assert.equal(decodeCursor(b64("offset:3 ")), undefined);
    assert.equal(decodeCursor(b64("xoffset:3")), undefined);
    assert.equal(decodeCursor(b64("offset:1234567")), undefined); // more than 6 digits
  });
});

describe("pageOf", () => {
  const list = ["a", "b", "c", "d", "e"];

  it("first page", () => {
    assert.deepEqual(pageOf(list, 2), { items: ["a", "b"], endCursor: encodeCursor(2), hasNextPage: true });
  });

  it("a middle page starts after the cursor's offset", () => {
    assert.deepEqual(pageOf(list, 2, 2), {
      items: ["c", "d"],
      endCursor: encodeCursor(4),
      hasNextPage: true,
    });
  });

  it("the last page: short, and no next page", () => {
    assert.deepEqual(pageOf(list, 2, 4), { items: ["e"], endCursor: encodeCursor(5), hasNextPage: false });
  });

  it("a page that ends exactly at the list's end has no next page", () => {
    assert.deepEqual(pageOf(list, 5), { items: list, endCursor: encodeCursor(5), hasNextPage: false });
  });

  it("an offset at or beyond the end: an empty page without a cursor", () => {
    assert.deepEqual(pageOf(list, 2, 5), { items: [], endCursor: undefined, hasNextPage: false });
    assert.deepEqual(pageOf(list, 2, 50), { items: [], endCursor: undefined, hasNextPage: false });
  });

  it("an empty list", () => {
    assert.deepEqual(pageOf([], 10), { items: [], endCursor: undefined, hasNextPage: false });
  });

  it("walking the cursors visits every item once", () => {
    const seen: string[] = [];
    let offset = 0;
    for (;;) {
      const page = pageOf(list, 2, offset);
      seen.push(...page.items);
      if (!page.hasNextPage) break;
      offset = decodeCursor(page.endCursor!)!;
    }
    assert.deepEqual(seen, list);
  });
});
