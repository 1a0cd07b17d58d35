import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ConcurrencyLimit } from "../../src/api/http/concurrency-limit.js";

describe("adaptive concurrency limit", () => {
  it("admits up to the limit, queues briefly, then sheds", async () => {
    const limit = new ConcurrencyLimit({ initial: 2, min: 1, max: 4, targetMs: 1_000, queueMs: 30 });
    const a = await limit.acquire();
    const b = await limit.acquire();
    assert.ok(a && b);
    const started = performance.now();
    assert.equal(await limit.acquire(), undefined, "no slot freed within queueMs: shed");
    assert.ok(performance.now() - started < 500, "shed within about queueMs");
    const waiting = limit.acquire();
    a();
    const c = await waiting;
    assert.ok(c, "a slot freed while waiting admits the next in the queue");
    b();
    c();
    assert.equal(limit.active, 0);
  });

  it("sheds at once with no queue", async () => {
    const limit = new ConcurrencyLimit({ initial: 1, min: 1, max: 1, targetMs: 1_000, queueMs: 0 });
    const a = await limit.acquire();
    assert.equal(await limit.acquire(), undefined);
    a!();
    assert.ok(await limit.acquire());
  });

  it("cuts the limit when a window that filled it runs over target, and grows it when full and fast", async () => {
    const slow = new ConcurrencyLimit({
      initial: 5,
      min: 2,
      max: 20,
      targetMs: 5,
      queueMs: 0,
      windowSize: 4,
    });
    const idle = await Promise.all(Array.from({ length: 4 }, () => slow.acquire()));
    await sleep(20);
    for (const r of idle) r!();
    assert.equal(slow.limit, 5, "slow, but the limit was never reached: it is not to blame");
    const held = await Promise.all(Array.from({ length: 5 }, () => slow.acquire()));
    await sleep(20);
    for (const r of held) r!();
    assert.equal(slow.limit, 4, "5 x 0.8 after a slow window that filled the limit");

    const fast = new ConcurrencyLimit({
      initial: 2,
      min: 1,
      max: 20,
      targetMs: 1_000,
      queueMs: 0,
      windowSize: 2,
    });
    for (let i = 0; i < 3; i++) {
      const pair = await Promise.all([fast.acquire(), fast.acquire()]);
      for (const r of pair) r!();
    }
    assert.ok(fast.limit > 2, `a full, fast window raises the limit (now ${fast.limit})`);
  });
});
