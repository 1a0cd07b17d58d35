import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gini, meanDefined, ndcgAtK, recallAtK, rocAuc, rocCurve } from "../../src/offline/eval/metrics.js";

const close = (a: number | undefined, b: number) =>
  assert.ok(a !== undefined && Math.abs(a - b) < 1e-12, `${a} != ${b}`);

describe("evaluation metrics, against hand-computed cases", () => {
  it("ROC AUC: perfect, inverted, and pair counting by hand", () => {
    close(rocAuc([3, 4], [1, 2]), 1);
    close(rocAuc([1, 2], [3, 4]), 0);
    // pairs (p, n): (2,1) win, (2,3) loss, (4,1) win, (4,3) win -> 3/4
    close(rocAuc([2, 4], [1, 3]), 0.75);
  });

  it("ROC AUC: ties count half", () => {
    close(rocAuc([1], [1]), 0.5);
    // (2,2) tie 0.5, (2,1) win 1 -> 1.5/2
    close(rocAuc([2], [2, 1]), 0.75);
    close(rocAuc([5, 5, 5], [5, 5]), 0.5);
  });

  it("ROC AUC: one positive is fine; no negatives or no positives is undefined, not a number", () => {
    close(rocAuc([0.7], [0.1, 0.9, 0.5, 0.8]), 2 / 4);
    assert.equal(rocAuc([0.7], []), undefined);
    assert.equal(rocAuc([], [0.1]), undefined);
  });

  it("the ROC curve runs from (0,0) to (1,1) and its area matches rocAuc", () => {
    const pos = [0.9, 0.8, 0.4, 0.4];
    const neg = [0.7, 0.4, 0.3, 0.1, 0.05];
    const curve = rocCurve(pos, neg);
    assert.deepEqual(curve[0], { fpr: 0, tpr: 0 });
    assert.deepEqual(curve.at(-1), { fpr: 1, tpr: 1 });
    let area = 0;
    for (let i = 1; i < curve.length; i++)
      area += ((curve[i]!.fpr - curve[i - 1]!.fpr) * (curve[i]!.tpr + curve[i - 1]!.tpr)) / 2;
    close(area, rocAuc(pos, neg)!);
  });

  it("recall@k and nDCG@k by hand", () => {
    const ranked = ["a", "b", "c", "d"];
    const relevant = new Set(["b", "d", "z"]);
    close(recallAtK(ranked, relevant, 2), 1 / 3);
    close(recallAtK(ranked, relevant, 10), 2 / 3);
    // DCG@4 = 1/log2(3) + 1/log2(5); ideal (3 relevant, k=4) = 1 + 1/log2(3) + 1/log2(4)
    close(ndcgAtK(ranked, relevant, 4), (1 / Math.log2(3) + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3) + 0.5));
    close(ndcgAtK(["x", "y"], new Set(["x"]), 2), 1);
    assert.equal(recallAtK(ranked, new Set(), 10), undefined);
    assert.equal(ndcgAtK(ranked, new Set(), 10), undefined);
  });

  it("Gini of exposure: 0 for equal, (n-1)/n for all on one, 0 for nothing shown", () => {
    close(gini([5, 5, 5, 5]), 0);
    close(gini([0, 0, 0, 12]), 3 / 4);
    // [1, 3]: 2*(1*1 + 2*3)/(2*4) - 3/2 = 14/8 - 12/8 = 0.25
    close(gini([3, 1]), 0.25);
    assert.equal(gini([]), 0);
    assert.equal(gini([0, 0]), 0);
  });

  it("means skip undefined values", () => {
    close(meanDefined([1, undefined, 3]), 2);
    assert.equal(meanDefined([undefined]), undefined);
  });
});
