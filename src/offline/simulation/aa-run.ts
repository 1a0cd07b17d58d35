import type { AppEvent } from "../../domain/app-events.js";
import type { Experiment } from "../../domain/experiment.js";
import { assignArm } from "../../experiments/assignment.js";
import type { ExperimentReport } from "../../experiments/experiment-report.js";
import { drawClicks, keyedRandom, pageEvents, visits } from "./click-model.js";
import { dayTime, type SimulationWorld, type SimUser } from "./world.js";

export interface AaOptions {
  reps: number;
  days: number;
  seed: number;
  start: Date;
  /** Experiment ids are `${idPrefix}-${rep}`: one store can hold several runs. */
  idPrefix?: string;
  alpha?: number;
  onRep?: (done: number, total: number) => void;
}

/** One repetition's final figures: always-valid p at the last look, and whether a peeker would have stopped. */
export interface AaRep {
  experimentId: string;
  ctrP: number | null;
  dwellP: number | null;
  /** The plain z-test fell below alpha at some daily look (what peeking at it would have done). */
  ctrFixedEverBelow: boolean;
  users: number;
  events: number;
}

export interface AaResult {
  reps: AaRep[];
  falsePositives: { ctr: number; dwell: number; ctrFixedHorizonPeeking: number };
  seconds: number;
  lastReport?: ExperimentReport;
}

const A_ARMS = [
  { name: "a", weight: 0.9 },
  { name: "b", weight: 0.1 },
];

/**
 * Repeated A/A tests at 90/10, both arms the service's own settings. Without click feedback and
 * with no arm changing anything, a user's page is the same every day, so each user's page is served
 * once through the service beforehand (`pages`) and each repetition only records it under a new
 * servedId in the user's arm (recordServedPage) and appends the drawn events (appendEvents). Each
 * repetition is a new experiment, hence a new salt and a fresh split; the report is the service's.
 */
export async function runAaTests(
  world: SimulationWorld,
  users: readonly SimUser[],
  pages: ReadonlyMap<string, string[]>,
  opts: AaOptions,
): Promise<AaResult> {
  const started = performance.now();
  const alpha = opts.alpha ?? 0.05;
  const reps: AaRep[] = [];
  let lastReport: ExperimentReport | undefined;
  for (let rep = 0; rep < opts.reps; rep++) {
    const id = `${opts.idPrefix ?? `sim-aa-${opts.seed}`}-${rep}`;
    world.setTime(dayTime(opts.start, 1));
    const created = await world.services.createExperiment(
      { id, description: "simulation: A/A", arms: A_ARMS, salt: `sim-aa:${opts.seed}:${rep}` },
      "simulation",
    );
    if (created.kind !== "done") throw new Error(`could not start ${id}: ${JSON.stringify(created)}`);
    for (let day = 1; day <= opts.days; day++)
      await recordDay(world, created.experiment, users, pages, { ...opts, day, rep });
    world.setTime(dayTime(opts.start, opts.days + 1));
    const report = (await world.services.experimentReport(id))?.report;
    await world.services.stopExperiment(id, "simulation");
    const c = report?.comparisons[0];
    reps.push({
      experimentId: id,
      ctrP: c?.ctr.alwaysValidP ?? null,
      dwellP: c?.meanDwellMs.alwaysValidP ?? null,
      ctrFixedEverBelow: (c?.ctr.history ?? []).some(
        (h) => h.fixedHorizonP !== null && h.fixedHorizonP < alpha,
      ),
      users: report?.totals.reduce((s, t) => s + t.usersServed, 0) ?? 0,
      events: report?.events ?? 0,
    });
    lastReport = report;
    opts.onRep?.(rep + 1, opts.reps);
  }
  const share = (f: (r: AaRep) => boolean) => reps.filter(f).length;
  return {
    reps,
    falsePositives: {
      ctr: share((r) => r.ctrP !== null && r.ctrP < alpha),
      dwell: share((r) => r.dwellP !== null && r.dwellP < alpha),
      ctrFixedHorizonPeeking: share((r) => r.ctrFixedEverBelow),
    },
    seconds: (performance.now() - started) / 1000,
    lastReport,
  };
}

const PAGE_WRITES = 16;
const BATCH = 500;

/** One day of one repetition: the visitors' pages recorded in their arm, then their events appended. */
async function recordDay(
  world: SimulationWorld,
  experiment: Experiment,
  users: readonly SimUser[],
  pages: ReadonlyMap<string, string[]>,
  o: { seed: number; day: number; rep: number; start: Date },
): Promise<void> {
  const servedAt = dayTime(o.start, o.day);
  world.setTime(servedAt);
  const events: AppEvent[] = [];
  const writes: (() => Promise<void>)[] = [];
  for (const u of users) {
    const videoIds = pages.get(u.userId);
    if (!videoIds || !visits(o.seed + 1 + o.rep, u.userId, o.day)) continue;
    const servedId = `${experiment.id}:${o.day}:${u.userId}`;
    const { arm } = assignArm(experiment, u.userId);
    writes.push(() =>
      world.store.recordServedPage({
        servedId,
        userId: u.userId,
        servedAt,
        experimentId: experiment.id,
        arm,
        items: videoIds.map((videoId, i) => ({ videoId, position: i + 1, sponsored: false })),
      }),
    );
    const random = keyedRandom(o.seed, "aa-clicks", o.rep, u.userId, o.day);
    events.push(...pageEvents(servedId, videoIds.length, drawClicks(videoIds, u.heldOut, random)));
  }
  for (let i = 0; i < writes.length; i += PAGE_WRITES)
    await Promise.all(writes.slice(i, i + PAGE_WRITES).map((w) => w()));
  for (let i = 0; i < events.length; i += BATCH)
    await world.store.appendEvents("simulation", events.slice(i, i + BATCH));
}
