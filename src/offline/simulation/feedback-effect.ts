import { meanDefined, ndcgAtK, recallAtK } from "../eval/metrics.js";
import { drawClicks, keyedRandom, visits } from "./click-model.js";
import type { AbUserTrace } from "./ab-run.js";
import type { SimUser } from "./world.js";

export interface TopKMeans {
  users: number;
  ndcgAt10?: number;
  recallAt10?: number;
}

export interface FeedbackEffect {
  arm: string;
  withFeedback: TopKMeans;
  withoutFeedback: TopKMeans;
  /** with minus without. */
  difference: { ndcgAt10?: number; recallAt10?: number };
}

/**
 * What click feedback does to the pages of one arm's users (item 6): with feedback, the page the
 * service serves after the test, against the held-out videos the user has not clicked in it;
 * without feedback, the page never changes (no clicks reach ranking, nothing is excluded or
 * demoted), so it is the user's first page, and the same visits and click draws (same keys) run on
 * it for the same days, against the held-out videos not clicked there.
 */
export function feedbackEffect(
  users: readonly SimUser[],
  traces: ReadonlyMap<string, AbUserTrace>,
  arm: string,
  opts: { days: number; seed: number },
): FeedbackEffect {
  const withF: { n?: number; r?: number }[] = [];
  const without: { n?: number; r?: number }[] = [];
  for (const u of users) {
    const t = traces.get(u.userId);
    if (!t || t.arm !== arm || !t.firstPage || !t.finalPage) continue;
    const staticClicks = new Set<string>();
    for (let day = 1; day <= opts.days; day++) {
      if (!visits(opts.seed, u.userId, day)) continue;
      const random = keyedRandom(opts.seed, "clicks", u.userId, day);
      for (const c of drawClicks(t.firstPage, u.heldOut, random)) staticClicks.add(c.videoId);
    }
    const score = (page: string[], clicked: ReadonlySet<string>) => {
      const relevant = new Set([...u.heldOut].filter((v) => !clicked.has(v)));
      return { n: ndcgAtK(page, relevant, 10), r: recallAtK(page, relevant, 10) };
    };
    withF.push(score(t.finalPage, t.clicked));
    without.push(score(t.firstPage, staticClicks));
  }
  const means = (xs: { n?: number; r?: number }[]): TopKMeans => ({
    users: xs.filter((x) => x.n !== undefined).length,
    ndcgAt10: meanDefined(xs.map((x) => x.n)),
    recallAt10: meanDefined(xs.map((x) => x.r)),
  });
  const [a, b] = [means(withF), means(without)];
  const diff = (x?: number, y?: number) => (x === undefined || y === undefined ? undefined : x - y);
  return {
    arm,
    withFeedback: a,
    withoutFeedback: b,
    difference: { ndcgAt10: diff(a.ndcgAt10, b.ndcgAt10), recallAt10: diff(a.recallAt10, b.recallAt10) },
  };
}
