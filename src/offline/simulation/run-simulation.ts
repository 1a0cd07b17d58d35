import type { ExperimentReport } from "../../experiments/experiment-report.js";
import { runAaTests, type AaResult } from "./aa-run.js";
import { abArms, runAbTest } from "./ab-run.js";
import { perSecond, type EventMeter } from "./event-meter.js";
import { feedbackEffect, type FeedbackEffect } from "./feedback-effect.js";
import { pageRequest } from "./serve-day.js";
import type { EventTally } from "./serve-day.js";
import type { SimulationWorld, SimUser } from "./world.js";

export interface SimulationOptions {
  days: number;
  reps: number;
  seed: number;
  /** Noon UTC of day 0. */
  start: Date;
  /** Users in each A/A repetition (a prefix of `users`); all when unset. */
  aaUsers?: number;
  /** The learned arm's share in the A/B test; 0.1. */
  treatmentShare?: number;
  /** Skip the A/A repetitions (0 reps) or the A/B run. */
  skipAb?: boolean;
  progress: (phase: string, done: number, total: number) => void;
}

export interface SimulationResult {
  users: number;
  days: number;
  ab?: {
    experimentId: string;
    report: ExperimentReport;
    html: string;
    pagesServed: number;
    tally: EventTally;
    seconds: number;
    feedback: FeedbackEffect[];
  };
  aa: Omit<AaResult, "lastReport"> & { users: number; pageSeconds: number };
  meter: EventMeter;
  eventsPerSecond: { appendEvents: number | null; recordEvents: number | null };
}

/**
 * The whole simulation on one world: the A/A pages first (served once each, before any event can
 * change them), then the A/B test with feedback and the feedback measurement on its pages, then
 * the A/A repetitions (events straight into the store: they must not feed back into pages).
 */
export async function runSimulation(
  world: SimulationWorld,
  users: readonly SimUser[],
  opts: SimulationOptions,
): Promise<SimulationResult> {
  const aaUsers = users.slice(0, opts.aaUsers ?? users.length);
  const pages = new Map<string, string[]>();
  const pageStart = performance.now();
  if (opts.reps > 0)
    for (const [i, u] of aaUsers.entries()) {
      const page = await world.services.recommend(pageRequest(u.userId));
      if (page.kind === "page")
        pages.set(
          u.userId,
          page.items.map((it) => it.videoId),
        );
      opts.progress("A/A pages", i + 1, aaUsers.length);
    }
  const pageSeconds = (performance.now() - pageStart) / 1000;

  let ab: SimulationResult["ab"];
  if (!opts.skipAb) {
    const run = await runAbTest(world, users, {
      ...opts,
      onDay: (day, days) => opts.progress("A/B days", day, days),
    });
    ab = {
      experimentId: run.experimentId,
      report: run.report,
      html: run.html,
      pagesServed: run.pagesServed,
      tally: run.tally,
      seconds: run.seconds,
      feedback: abArms().map((a) => feedbackEffect(users, run.traces, a.name, opts)),
    };
  }
  const { lastReport: _last, ...aa } = await runAaTests(world, aaUsers, pages, {
    ...opts,
    onRep: (done, total) => opts.progress("A/A repetitions", done, total),
  });
  return {
    users: users.length,
    days: opts.days,
    ab,
    aa: { ...aa, users: pages.size, pageSeconds },
    meter: world.meter,
    eventsPerSecond: {
      appendEvents: perSecond(world.meter.append),
      recordEvents: perSecond(world.meter.record),
    },
  };
}

/** Wilson 95% interval of a binomial share. */
export function wilsonInterval(successes: number, n: number, z = 1.959964): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
