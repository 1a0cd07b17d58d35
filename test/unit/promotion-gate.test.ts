import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareByKind, gateDecision, type GateRow } from "../../src/offline/training/promotion-gate.js";

// Two users, each with one positive and one negative of every kind (u2's matched negative missing).
const rows: GateRow[] = [
  { userId: "u1", label: 1, kinds: [] },
  { userId: "u1", label: 0, kinds: ["random"] },
  { userId: "u1", label: 0, kinds: ["hard", "matched"] },
  { userId: "u2", label: 1, kinds: [] },
  { userId: "u2", label: 0, kinds: ["random"] },
  { userId: "u2", label: 0, kinds: ["hard"] },
];

describe("the promotion gate", () => {
  it("computes mean per-user AUC per kind for both models, paired", () => {
    // Candidate ranks every positive first; serving puts u1's hard negative above the positive.
    const figures = compareByKind(rows, [1, 0, 0, 1, 0, 0], [0.5, 0, 0.9, 1, 0, 0], 0.005);
    assert.deepEqual(
      figures.map((f) => [f.kind, f.users, f.candidate, f.serving, f.passed]),
      [
        ["random", 2, 1, 1, true],
        ["hard", 2, 1, 0.5, true],
        ["matched", 1, 1, 0, true],
      ],
    );
    // Per-user differences on hard: 1 and 0, mean 0.5, sd 0.7071, standard error 0.5.
    assert.equal(figures[1]!.differenceStdError, 0.5);
  });

  it("promotes within the margin, refuses beyond it on any one kind, and says which", () => {
    const serving = [0.9, 0.5, 0.1, 0.9, 0.5, 0.1];
    const same = compareByKind(rows, serving, serving, 0.005);
    assert.equal(gateDecision(same, 0.005).promote, true);
    // The candidate ties u1's random negative: AUC 0.5 there, mean 0.75 against 1 on random.
    const worse = compareByKind(rows, [0.9, 0.9, 0.1, 0.9, 0.5, 0.1], serving, 0.005);
    const verdict = gateDecision(worse, 0.005);
    assert.equal(verdict.promote, false);
    assert.equal(verdict.reason, "candidate < serving - 0.005 on random 0.750 vs 1.000");
    assert.equal(
      gateDecision(compareByKind(rows, [0.9, 0.9, 0.1, 0.9, 0.5, 0.1], serving, 0.3), 0.3).promote,
      true,
    );
    // A negative margin asks for a clear win: an equal model is refused.
    assert.equal(gateDecision(compareByKind(rows, serving, serving, -0.01), -0.01).promote, false);
  });

  it("refuses when no held-out user has negatives of a kind", () => {
    const noMatched = rows.map((r) => ({ ...r, kinds: r.kinds.filter((k) => k !== "matched") }));
    const figures = compareByKind(noMatched, [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 0, 0], 0.005);
    const verdict = gateDecision(figures, 0.005);
    assert.equal(verdict.promote, false);
    assert.match(verdict.reason, /matched \(no held-out user has such negatives\)/);
  });
});
