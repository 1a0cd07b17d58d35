import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bioDocument, contentHash, syncHash, videoDocument } from "../../src/domain/documents.js";

describe("documents", () => {
  it("a video's document: title, music, #tags", () => {
    assert.equal(
      videoDocument({ title: "Pasta night", musicTitle: "original sound", hashtags: ["food", "italian"] }),
      "Pasta night | music: original sound | tags: #food #italian",
    );
    assert.equal(videoDocument({ title: "t", musicTitle: "m", hashtags: [] }), "t | music: m | tags: ");
  });

  it("a creator's bio, else the nickname, else the username", () => {
    assert.equal(bioDocument({ bio: "I cook", nickname: "Chef", username: "chef1" }), "I cook");
    assert.equal(bioDocument({ bio: "", nickname: "Chef", username: "chef1" }), "Chef");
    assert.equal(bioDocument({ bio: "", nickname: "", username: "chef1" }), "chef1");
  });

  it("contentHash: 64 hex digits, changes with the text or the model, and the two do not run together", () => {
    const h = contentHash("hello", "m1");
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.equal(contentHash("hello", "m1"), h);
    assert.notEqual(contentHash("hello", "m2"), h);
    assert.notEqual(contentHash("hello!", "m1"), h);
    // "ab" + "c" vs "a" + "bc": the separator keeps them apart
    assert.notEqual(contentHash("c", "ab"), contentHash("bc", "a"));
  });

  it("syncHash: a Date hashes as its ISO string; references count; {} is the default", () => {
    const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    assert.equal(syncHash({ at }), syncHash({ at: "2024-01-02T03:04:05.000Z" }));
    assert.equal(syncHash({ a: 1 }), syncHash({ a: 1 }, {}));
    assert.notEqual(syncHash({ a: 1 }, { creator: ["x"] }), syncHash({ a: 1 }));
    assert.notEqual(syncHash({ a: 1 }), syncHash({ a: 2 }));
    assert.match(syncHash({}), /^[0-9a-f]{64}$/);
  });
});
