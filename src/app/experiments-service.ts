import { readFile } from "node:fs/promises";
import type { ExperimentChange } from "../api/services.js";
import type { ArmAssignment, Experiment } from "../domain/experiment.js";
import type { EventStore } from "../events/event-store.js";
import { assignArm } from "../experiments/assignment.js";
import {
  describeProblems,
  experimentInput,
  newExperiment,
  sameArms,
  type ExperimentInput,
} from "../experiments/definitions.js";
import { buildExperimentReport, type ExperimentReport } from "../experiments/experiment-report.js";
import { renderReportHtml } from "../experiments/report-html.js";
import { ConfigError } from "../platform/config/config.js";
import type { Logger } from "../platform/logger.js";

/** The running experiment as this replica knows it, and the admin's verbs on experiments. */
export interface ExperimentsService {
  /** The arm of the running experiment this user is in; undefined when none runs. */
  assign(userId: string): ArmAssignment | undefined;
  running(): Experiment | undefined;
  list(): Promise<Experiment[]>;
  create(input: ExperimentInput, by: string): Promise<ExperimentChange>;
  stop(id: string, by: string): Promise<ExperimentChange>;
  report(id: string): Promise<{ report: ExperimentReport; html: string } | undefined>;
  /** Re-reads the running experiment (another replica's admin may have changed it). */
  refresh(): Promise<void>;
  close(): void;
}

export interface ExperimentsOptions {
  /** A JSON file holding an array of experiment definitions (EXPERIMENTS_FILE). */
  file?: string;
  refreshSeconds: number;
  log: Logger;
  now?: () => Date;
}

const OFF: ExperimentChange = {
  kind: "refused",
  reasons: ["the event store is off (EVENTS_DATABASE_URL=off): experiments need it"],
};

/**
 * Experiments over the event store: definitions from the file are stored once (a changed split
 * of a test that already ran is refused), then every replica polls the store for the running one,
 * so an admin's change on one replica reaches the others within `refreshSeconds`.
 */
export async function startExperiments(
  store: EventStore | undefined,
  opts: ExperimentsOptions,
): Promise<ExperimentsService> {
  const now = opts.now ?? (() => new Date());
  let current: Experiment | undefined;
  const refresh = async () => {
    if (!store) return;
    current = (await store.experiments()).find((e) => e.status === "running");
  };
  if (store && opts.file) await storeConfigured(store, await readDefinitions(opts.file), now());
  await refresh();
  const timer = setInterval(() => {
    refresh().catch((err) =>
      opts.log.warn("could not re-read the running experiment", { error: String(err) }),
    );
  }, opts.refreshSeconds * 1000);
  timer.unref();

  const create = async (input: ExperimentInput, by: string): Promise<ExperimentChange> => {
    if (!store) return OFF;
    const parsed = experimentInput.safeParse(input);
    if (!parsed.success) return { kind: "refused", reasons: describeProblems(parsed.error) };
    // Named here for the message; the store's unique index holds it across replicas anyway.
    const running = (await store.experiments()).find((e) => e.status === "running");
    if (running)
      return {
        kind: "refused",
        reasons: [`experiment ${running.id} is running: stop it first (one test at a time)`],
      };
    const experiment = newExperiment(parsed.data, by, now());
    const saved = await store.saveExperiment(experiment);
    // A reused id, or a test another replica started since the check above.
    if (saved !== "created")
      return {
        kind: "refused",
        reasons: [
          saved === "exists"
            ? `id ${experiment.id} was used by an earlier test: a new split needs a new id`
            : "another experiment was started meanwhile: stop it first (one test at a time)",
        ],
      };
    opts.log.info("experiment started", { experiment: experiment.id, by });
    await refresh();
    return { kind: "done", experiment };
  };

  const stop = async (id: string, by: string): Promise<ExperimentChange> => {
    if (!store) return OFF;
    const stopped = await store.stopExperiment(id, now());
    if (!stopped) return { kind: "unknown", id };
    opts.log.info("experiment stopped", { experiment: id, by });
    await refresh();
    return { kind: "done", experiment: stopped };
  };

  const report = async (id: string) => {
    if (!store) return undefined;
    const experiment = (await store.experiments()).find((e) => e.id === id);
    if (!experiment) return undefined;
    const report = buildExperimentReport(experiment, await store.aggregates(id), now());
    return { report, html: renderReportHtml(report) };
  };

  return {
    assign: (userId) => (current ? assignArm(current, userId) : undefined),
    running: () => current,
    list: async () => (store ? store.experiments() : []),
    create,
    stop,
    report,
    refresh,
    close: () => clearInterval(timer),
  };
}

/** The file's definitions, every problem of every one reported together. */
async function readDefinitions(file: string): Promise<Experiment[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    throw new ConfigError([`EXPERIMENTS_FILE: cannot read ${file} as JSON: ${(err as Error).message}`]);
  }
  if (!Array.isArray(raw)) throw new ConfigError([`EXPERIMENTS_FILE: ${file} must hold a JSON array`]);
  const problems: string[] = [];
  const defs = raw.flatMap((item, i) => {
    const parsed = experimentInput.safeParse(item);
    if (parsed.success) return [newExperiment(parsed.data, "config", new Date(0))];
    problems.push(...describeProblems(parsed.error).map((p) => `EXPERIMENTS_FILE[${i}] ${p}`));
    return [];
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return defs;
}

/** Stores each definition once; a stored test whose split differs from the file's is refused. */
async function storeConfigured(store: EventStore, defs: Experiment[], startedAt: Date): Promise<void> {
  const stored = new Map((await store.experiments()).map((e) => [e.id, e]));
  const problems = defs
    .filter((def) => stored.has(def.id) && !sameArms(stored.get(def.id)!.arms, def.arms))
    .map(
      (def) =>
        `EXPERIMENTS_FILE: experiment ${def.id} already ran with other arms or weights; changing them mid-test is refused: give the new split a new id`,
    );
  const fresh = defs.filter((def) => !stored.has(def.id));
  const running = [...fresh, ...[...stored.values()].filter((e) => e.status === "running")].map((e) => e.id);
  if (running.length > 1)
    problems.push(`EXPERIMENTS_FILE: one test at a time, but ${running.join(", ")} would run`);
  if (problems.length > 0) throw new ConfigError(problems);
  for (const def of fresh)
    if ((await store.saveExperiment({ ...def, startedAt })) === "another-running")
      throw new ConfigError([`EXPERIMENTS_FILE: ${def.id} cannot start: another experiment is running`]);
}
