import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { createWriteGate, inWriteUnit } from "../../src/store/generations/write-gate.js";

describe("the encoder generation write gate", () => {
  it("a switch waits for the units in flight, and units that come meanwhile wait for the switch", async () => {
    const gate = createWriteGate();
    const order: string[] = [];
    const leaveA = await gate.enter();
    const switched = gate.quiesce(async () => {
      order.push("flip");
      return "flipped";
    });
    await tick();
    assert.deepEqual(gate.state(), { active: 1, closed: true });
    const late = inWriteUnit({ writeGate: gate }, async () => void order.push("late unit"));
    await tick();
    assert.deepEqual([...order], [], "neither the flip nor the late unit ran while A is in flight");
    order.push("A done");
    leaveA();
    assert.equal(await switched, "flipped");
    await late;
    assert.deepEqual(order, ["A done", "flip", "late unit"]);
    assert.deepEqual(gate.state(), { active: 0, closed: false });
  });

  it("a failed flip opens the gate again, and leaving twice counts once", async () => {
    const gate = createWriteGate();
    const leave = await gate.enter();
    leave();
    leave();
    assert.equal(gate.state().active, 0);
    await assert.rejects(
      gate.quiesce(async () => {
        throw new Error("verification failed");
      }),
      /verification failed/,
    );
    assert.deepEqual(gate.state(), { active: 0, closed: false });
    assert.equal(await inWriteUnit({ writeGate: gate }, async () => 7), 7);
  });

  it("two switches run one after the other", async () => {
    const gate = createWriteGate();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = gate.quiesce(async () => {
      order.push("first begins");
      await new Promise<void>((r) => (releaseFirst = r));
      order.push("first ends");
    });
    await tick();
    const second = gate.quiesce(async () => void order.push("second"));
    await tick();
    releaseFirst();
    await Promise.all([first, second]);
    assert.deepEqual(order, ["first begins", "first ends", "second"]);
  });

  it("a handle without a gate runs its unit at once", async () => {
    assert.equal(await inWriteUnit({}, async () => "ran"), "ran");
  });
});
