import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeyBuckets, TokenBucket } from "../../src/api/http/token-bucket.js";

describe("token bucket", () => {
  it("admits the burst at once, then refills at the rate", () => {
    const bucket = new TokenBucket({ rate: 10, burst: 30 }, 0);
    for (let i = 0; i < 3; i++) assert.deepEqual(bucket.take(10, 0), { ok: true });
    assert.deepEqual(bucket.take(10, 0), { ok: false, retryAfterS: 1 });
    assert.deepEqual(bucket.take(10, 1_000), { ok: true }, "one second refills 10 points");
    assert.equal(bucket.level(1_000), 0);
  });

  it("computes Retry-After from the missing points and the rate, in whole seconds", () => {
    const bucket = new TokenBucket({ rate: 2, burst: 10 }, 0);
    assert.ok(bucket.take(10, 0).ok);
    assert.deepEqual(bucket.take(7, 0), { ok: false, retryAfterS: 4 }, "7 points at 2/s: 3.5 s, rounded up");
    assert.deepEqual(bucket.take(7, 2_000), { ok: false, retryAfterS: 2 });
  });

  it("never holds more than the burst", () => {
    const bucket = new TokenBucket({ rate: 100, burst: 5 }, 0);
    assert.equal(bucket.level(60_000), 5);
  });

  it("lets a query dearer than the burst run on a full bucket, leaving a debt that refills", () => {
    const bucket = new TokenBucket({ rate: 10, burst: 20 }, 0);
    assert.ok(bucket.take(50, 0).ok);
    assert.equal(bucket.level(0), -30);
    const again = bucket.take(50, 0);
    assert.deepEqual(again, { ok: false, retryAfterS: 5 }, "back to a full 20 from -30 at 10/s");
  });

  it("refunds points, capped at the burst", () => {
    const bucket = new TokenBucket({ rate: 1, burst: 10 }, 0);
    assert.ok(bucket.take(10, 0).ok);
    bucket.refund(10, 0);
    assert.equal(bucket.level(0), 10);
    bucket.refund(10, 0);
    assert.equal(bucket.level(0), 10);
  });
});

describe("key buckets", () => {
  const buckets = () => new KeyBuckets((role) => (role === "partner" ? { rate: 1, burst: 2 } : undefined));

  it("keeps one bucket per key: one key's spending leaves another's alone", () => {
    const b = buckets();
    assert.ok(b.take("noisy", "partner", 2, 0).ok);
    assert.equal(b.take("noisy", "partner", 1, 0).ok, false);
    assert.ok(b.take("quiet", "partner", 2, 0).ok);
  });

  it("says whether a key's bucket is short of a cost, for the early refusal", () => {
    const b = buckets();
    assert.equal(b.shortOf("new", 1, 0), undefined, "no bucket yet: let it through");
    assert.ok(b.take("k", "partner", 2, 0).ok);
    assert.deepEqual(b.shortOf("k", 1, 0), { retryAfterS: 1, budget: { rate: 1, burst: 2 } });
    assert.equal(b.shortOf("k", 1, 1_000), undefined, "a second refills the one point");
  });

  it("never limits a role without a budget", () => {
    const b = buckets();
    for (let i = 0; i < 1_000; i++) assert.ok(b.take("ops", "admin", 100, 0).ok);
  });
});
