import assert from "node:assert/strict";
import { it } from "node:test";
import { createResultCache } from "../../src/recommend/result-cache.js";

it("serves a repeated request from cache, never another user's, and forgets failures", async () => {
  let calls = 0;
  const cached = createResultCache<{ userId: string }, string>(60_000).wrap(async (req) => {
    calls++;
    if (req.userId === "bad") throw new Error("boom");
    return `page for ${req.userId}`;
  });
  assert.equal(await cached({ userId: "a" }), "page for a");
  assert.equal(await cached({ userId: "a" }), "page for a");
  assert.equal(await cached({ userId: "b" }), "page for b");
  assert.equal(calls, 2);
  await assert.rejects(cached({ userId: "bad" }));
  await assert.rejects(cached({ userId: "bad" }));
  assert.equal(calls, 4);
});

it("expires entries and can be turned off", async () => {
  let calls = 0;
  const off = createResultCache<number, number>(0).wrap(async (n) => (calls++, n));
  await off(1);
  await off(1);
  assert.equal(calls, 2);
  const short = createResultCache<number, number>(20).wrap(async (n) => (calls++, n));
  await short(1);
  await new Promise((r) => setTimeout(r, 30));
  await short(1);
  assert.equal(calls, 4);
});

it("forgets everything on clear", async () => {
  let calls = 0;
  const cache = createResultCache<number, number>(60_000);
  const cached = cache.wrap(async (n) => (calls++, n));
  await cached(1);
  cache.clear();
  await cached(1);
  assert.equal(calls, 2);
});
