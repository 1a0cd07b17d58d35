import type pg from "pg";
import type { Experiment } from "../domain/experiment.js";

/**
 * Experiments are stored whole as JSON; dates go in as ISO strings and come back as Dates.
 * "exists": the id is taken; "another-running": a running test is stored already (the partial
 * unique index makes that hold across replicas).
 */
export async function saveExperiment(
  pool: pg.Pool,
  e: Experiment,
): Promise<"created" | "exists" | "another-running"> {
  try {
    const { rowCount } = await pool.query(
      "INSERT INTO experiments (id, started_at, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
      [e.id, e.startedAt, JSON.stringify(e)],
    );
    return rowCount === 1 ? "created" : "exists";
  } catch (err) {
    const { code, constraint } = err as { code?: string; constraint?: string };
    if (code === "23505" && constraint === "experiments_one_running") return "another-running";
    throw err;
  }
}

export async function listExperiments(pool: pg.Pool): Promise<Experiment[]> {
  const { rows } = await pool.query<{ body: StoredExperiment }>(
    "SELECT body FROM experiments ORDER BY started_at DESC, id",
  );
  return rows.map((r) => fromStored(r.body));
}

/** Stops a running experiment at `at`; one already stopped keeps its first stop time. */
export async function stopExperiment(pool: pg.Pool, id: string, at: Date): Promise<Experiment | undefined> {
  const { rows } = await pool.query<{ body: StoredExperiment }>(
    `UPDATE experiments
     SET body = CASE WHEN body->>'status' = 'stopped' THEN body
                     ELSE body || jsonb_build_object('status', 'stopped', 'stoppedAt', $2::text) END
     WHERE id = $1 RETURNING body`,
    [id, at.toISOString()],
  );
  return rows[0] ? fromStored(rows[0].body) : undefined;
}

type StoredExperiment = Omit<Experiment, "startedAt" | "stoppedAt"> & {
  startedAt: string;
  stoppedAt?: string;
};

function fromStored(body: StoredExperiment): Experiment {
  const { stoppedAt, ...rest } = body;
  return {
    ...rest,
    startedAt: new Date(body.startedAt),
    ...(stoppedAt !== undefined ? { stoppedAt: new Date(stoppedAt) } : {}),
  };
}
