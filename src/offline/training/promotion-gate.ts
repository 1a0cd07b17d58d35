import { rocAuc } from "../eval/metrics.js";
import { NEGATIVE_KINDS, type NegativeKind } from "../eval/negatives.js";

/** Scores rows: one number per row, higher is more likely engaged. */
export type RowScorer = (rows: GateRow[]) => Promise<number[]>;

/** What the gate needs of a labelled row. */
export interface GateRow {
  userId: string;
  label: 0 | 1;
  kinds: string[];
}

/** One negative kind's figures on the held-out users. */
export interface KindFigures {
  kind: NegativeKind;
  /** Held-out users with a positive and a negative of this kind. */
  users: number;
  candidate: number;
  serving: number;
  /** Standard error of the mean per-user difference (candidate - serving): the paired noise. */
  differenceStdError: number;
  passed: boolean;
}

/**
 * Mean per-user AUC for each negative kind (the evaluation's figure, src/offline/eval/metrics.ts)
 * of two scorings of the same rows, and the paired difference's standard error. Paired because
 * both models score the same users' same rows: the user-to-user spread cancels out of the
 * difference, which is far less noisy than either mean.
 */
export function compareByKind(
  rows: GateRow[],
  candidate: number[],
  serving: number[],
  margin: number,
): KindFigures[] {
  const byUser = new Map<string, number[]>();
  rows.forEach((r, i) => byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), i]));
  return NEGATIVE_KINDS.map((kind) => {
    const pairs: [number, number][] = [];
    for (const idx of byUser.values()) {
      const pos = idx.filter((i) => rows[i]!.label === 1);
      const neg = idx.filter((i) => rows[i]!.label === 0 && rows[i]!.kinds.includes(kind));
      const a = rocAuc(
        pos.map((i) => candidate[i]!),
        neg.map((i) => candidate[i]!),
      );
      const b = rocAuc(
        pos.map((i) => serving[i]!),
        neg.map((i) => serving[i]!),
      );
      if (a !== undefined && b !== undefined) pairs.push([a, b]);
    }
    const n = pairs.length;
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(xs.length, 1);
    const diffs = pairs.map(([a, b]) => a - b);
    const d = mean(diffs);
    const sd = n > 1 ? Math.sqrt(diffs.reduce((s, x) => s + (x - d) ** 2, 0) / (n - 1)) : 0;
    const [c, s] = [mean(pairs.map(([a]) => a)), mean(pairs.map(([, b]) => b))];
    return {
      kind,
      users: n,
      candidate: round(c),
      serving: round(s),
      differenceStdError: round(n > 0 ? sd / Math.sqrt(n) : 0),
      passed: n > 0 && c >= s - margin,
    };
  });
}

/** The gate's verdict in words: promoted only when every kind passed. */
export function gateDecision(figures: KindFigures[], margin: number): { promote: boolean; reason: string } {
  const failed = figures.filter((f) => !f.passed);
  const show = (f: KindFigures) => `${f.kind} ${f.candidate.toFixed(3)} vs ${f.serving.toFixed(3)}`;
  if (failed.length === 0)
    return {
      promote: true,
      reason: `candidate >= serving - ${margin} on every negative kind: ${figures.map(show).join(", ")}`,
    };
  return {
    promote: false,
    reason: `candidate < serving - ${margin} on ${failed
      .map((f) => (f.users === 0 ? `${f.kind} (no held-out user has such negatives)` : show(f)))
      .join(", ")}`,
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
