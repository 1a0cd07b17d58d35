import type { LatencySummary } from "./load-driver.js";

export interface RateStep {
  rate: number;
  summary: LatencySummary;
  pass: boolean;
}

export interface RateSearch {
  steps: RateStep[];
  /** The highest rate that passed; 0 when none did. */
  best: number;
  /** The lowest rate that failed; undefined when even the last step passed. */
  firstFail?: number;
}

/**
 * The highest open-loop rate whose p95 stays under `limitMs` with no errors: steps up by `step`
 * (25, 50, 75, ...) until one fails or `maxRate` is passed, then halves the gap between the last
 * pass and the first fail until it is at most `resolution`. `measure` runs one phase at a rate.
 */
export async function searchMaxRate(
  measure: (rate: number) => Promise<LatencySummary>,
  opts: {
    step: number;
    maxRate: number;
    limitMs: number;
    resolution: number;
    onStep?: (s: RateStep) => void;
  },
): Promise<RateSearch> {
  const steps: RateStep[] = [];
  const run = async (rate: number) => {
    const summary = await measure(rate);
    const step = { rate, summary, pass: summary.failed === 0 && summary.p95 < opts.limitMs };
    steps.push(step);
    opts.onStep?.(step);
    return step.pass;
  };
  let best = 0;
  let firstFail: number | undefined;
  for (let rate = opts.step; rate <= opts.maxRate; rate += opts.step) {
    if (!(await run(rate))) {
      firstFail = rate;
      break;
    }
    best = rate;
  }
  while (firstFail !== undefined && firstFail - best > opts.resolution) {
    const mid = Math.round((best + firstFail) / 2);
    if (mid <= best || mid >= firstFail) break;
    if (await run(mid)) best = mid;
    else firstFail = mid;
  }
  return { steps, best, firstFail };
}
