import type pg from "pg";

/** One claimed firing of a scheduled job, as the job_runs table holds it. */
export interface JobRun {
  job: string;
  slot: string;
  worker: string;
  claimedAt: Date;
  finishedAt?: Date;
}

/**
 * Claims `<job>:<slot>` for `worker`: the primary key lets one insert win across every process
 * sharing the database, so exactly one worker runs each firing. True when this worker won.
 */
export async function claimJobRun(pool: pg.Pool, key: string, worker: string): Promise<boolean> {
  const { job, slot } = splitKey(key);
  const { rowCount } = await pool.query(
    "INSERT INTO job_runs (job, slot, worker) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    [job, slot, worker],
  );
  return rowCount === 1;
}

export async function finishJobRun(pool: pg.Pool, key: string, worker: string): Promise<void> {
  const { job, slot } = splitKey(key);
  await pool.query("UPDATE job_runs SET finished_at = now() WHERE job = $1 AND slot = $2 AND worker = $3", [
    job,
    slot,
    worker,
  ]);
}

/** The newest claimed runs, newest first; `job` narrows them to one job. */
export async function listJobRuns(pool: pg.Pool, opts: { job?: string; limit: number }): Promise<JobRun[]> {
  const { rows } = await pool.query<{
    job: string;
    slot: string;
    worker: string;
    claimed_at: Date;
    finished_at: Date | null;
  }>(
    `SELECT job, slot, worker, claimed_at, finished_at FROM job_runs
     WHERE $1::text IS NULL OR job = $1 ORDER BY claimed_at DESC, job LIMIT $2`,
    [opts.job ?? null, opts.limit],
  );
  return rows.map((r) => ({
    job: r.job,
    slot: r.slot,
    worker: r.worker,
    claimedAt: r.claimed_at,
    ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
  }));
}

/** node-cron's key is `<task name>:<slot ISO time>`; the ISO time holds colons, the name none. */
function splitKey(key: string): { job: string; slot: string } {
  const at = key.indexOf(":");
  return at < 0 ? { job: key, slot: "" } : { job: key.slice(0, at), slot: key.slice(at + 1) };
}
