import type { ExperimentReport } from "../../experiments/experiment-report.js";
import { visits } from "./click-model.js";
import { newTally, pageRequest, serveDay, type EventTally } from "./serve-day.js";
import { dayTime, type SimulationWorld, type SimUser } from "./world.js";

export interface AbOptions {
  days: number;
  seed: number;
  /** Noon UTC of day 0; day d is served at start + d days. */
  start: Date;
  /** The learned arm's share of the users; 0.1. */
  treatmentShare?: number;
  onDay?: (day: number, days: number) => void;
}

/** Per user: the page of their first visit (no feedback yet), what they clicked, and the page after the test. */
export interface AbUserTrace {
  arm?: string;
  firstPage?: string[];
  clicked: Set<string>;
  finalPage?: string[];
}

export interface AbResult {
  experimentId: string;
  report: ExperimentReport;
  /** The report page the admin API serves (renderReportHtml). */
  html: string;
  tally: EventTally;
  pagesServed: number;
  traces: Map<string, AbUserTrace>;
  seconds: number;
}

/** The fixed blend (control) against the learned ranker; the test gives the learned one 10%. */
export const abArms = (treatmentShare = 0.1) => [
  { name: "fixed", weight: 1 - treatmentShare, settings: { ranker: "fixed" as const } },
  { name: "learned", weight: treatmentShare, settings: { ranker: "learned" as const } },
];

/**
 * The A/B test through the real service, feedback on: `days` days of visits, pages from
 * services.recommend, events through services.recordEvents (clicks reach Weaviate and the event
 * store's feedback), then the report as of the end of the last day. After the report, every user
 * is served one more page in their arm (the feedback measurement reads it); the experiment is then
 * stopped.
 */
export async function runAbTest(
  world: SimulationWorld,
  users: readonly SimUser[],
  opts: AbOptions,
): Promise<AbResult> {
  const started = performance.now();
  const experimentId = `sim-ab-${opts.seed}`;
  world.setTime(dayTime(opts.start, 1));
  const created = await world.services.createExperiment(
    {
      id: experimentId,
      description: "simulation: learned ranker against the fixed blend, click feedback on",
      arms: abArms(opts.treatmentShare),
      salt: `sim-ab:${opts.seed}`,
    },
    "simulation",
  );
  if (created.kind !== "done") throw new Error(`could not start ${experimentId}: ${JSON.stringify(created)}`);
  const traces = new Map(users.map((u) => [u.userId, { clicked: new Set<string>() } as AbUserTrace]));
  const tally = newTally();
  let pagesServed = 0;
  for (let day = 1; day <= opts.days; day++) {
    world.setTime(dayTime(opts.start, day));
    const visitors = users.filter((u) => visits(opts.seed, u.userId, day));
    for (const v of await serveDay(world, visitors, day, opts.seed, tally)) {
      const trace = traces.get(v.userId)!;
      trace.arm = v.arm;
      trace.firstPage ??= v.videoIds;
      for (const c of v.clicks) trace.clicked.add(c.videoId);
      pagesServed++;
    }
    opts.onDay?.(day, opts.days);
  }
  world.setTime(dayTime(opts.start, opts.days + 1));
  const answer = await world.services.experimentReport(experimentId);
  if (!answer) throw new Error(`no report for ${experimentId}`);
  const { report, html } = answer;
  for (const u of users) {
    const page = await world.services.recommend(pageRequest(u.userId));
    if (page.kind === "page") traces.get(u.userId)!.finalPage = page.items.map((it) => it.videoId);
  }
  await world.services.stopExperiment(experimentId, "simulation");
  return {
    experimentId,
    report,
    html,
    tally,
    pagesServed,
    traces,
    seconds: (performance.now() - started) / 1000,
  };
}
