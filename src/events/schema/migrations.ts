import type pg from "pg";

/**
 * The event store's schema, one migration per version, applied in order at open. Each runs in
 * a transaction under an advisory lock, so two replicas opening the same database at once
 * apply it once and both proceed. Never edit a shipped migration: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  -- Pages as served: what events are checked against and inherit (user, arm, day, videos).
  CREATE TABLE served_pages (
    served_id     text PRIMARY KEY,
    user_id       text NOT NULL,
    served_at     timestamptz NOT NULL,
    experiment_id text,
    arm           text,
    positions     smallint[] NOT NULL,
    video_ids     text[] NOT NULL,
    sponsored     boolean[] NOT NULL
  );
  CREATE INDEX served_pages_served_at ON served_pages (served_at);

  -- One row per client event; an impression holds every position it showed (arrays), so an
  -- event is one row however many items it covers.
  CREATE TABLE events (
    source          text NOT NULL,
    client_event_id text NOT NULL,
    served_id       text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('impression', 'click', 'dwell')),
    positions       smallint[] NOT NULL,
    video_ids       text[] NOT NULL,
    sponsored       boolean[] NOT NULL,
    dwell_ms        integer,
    user_id         text NOT NULL,
    experiment_id   text,
    arm             text,
    served_at       timestamptz NOT NULL,
    occurred_at     timestamptz,
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, client_event_id)
  );
  CREATE INDEX events_user ON events (user_id);
  CREATE INDEX events_served_at ON events (served_at);

  -- Per experiment, arm, user and UTC day of serving: what the report's moments are made of.
  -- Keyed user before day so the cumulative "looks" read it in window order without a sort.
  CREATE TABLE arm_user_days (
    experiment_id text NOT NULL,
    arm           text NOT NULL,
    user_id       text NOT NULL,
    day           date NOT NULL,
    pages         integer NOT NULL DEFAULT 0,
    impressions   integer NOT NULL DEFAULT 0,
    clicks        integer NOT NULL DEFAULT 0,
    dwell_ms      bigint NOT NULL DEFAULT 0,
    dwell_events  integer NOT NULL DEFAULT 0,
    events        integer NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment_id, arm, user_id, day)
  );

  CREATE TABLE arm_positions (
    experiment_id text NOT NULL,
    arm           text NOT NULL,
    position      smallint NOT NULL,
    sponsored     boolean NOT NULL,
    impressions   bigint NOT NULL DEFAULT 0,
    clicks        bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment_id, arm, position, sponsored)
  );

  CREATE TABLE experiments (
    id         text PRIMARY KEY,
    started_at timestamptz NOT NULL,
    body       jsonb NOT NULL
  );
  `,
  `
  -- One test runs at a time, even when two replicas start one at the same moment.
  CREATE UNIQUE INDEX experiments_one_running ON experiments ((true)) WHERE body->>'status' = 'running';
  `,
  `
  -- One row per firing of a scheduled job that a worker claimed: the key makes it once per slot
  -- across every worker sharing this database.
  CREATE TABLE job_runs (
    job         text NOT NULL,
    slot        text NOT NULL,
    worker      text NOT NULL,
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    PRIMARY KEY (job, slot)
  );
  CREATE INDEX job_runs_claimed_at ON job_runs (claimed_at);
  `,
];

/** An arbitrary constant: the advisory lock key the migrations of this store hold. */
const MIGRATION_LOCK = 7_314_200_114;

export async function migrate(client: pg.ClientBase): Promise<number> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS event_store_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const { rows } = await client.query<{ v: number | null }>(
      "SELECT max(version) AS v FROM event_store_schema",
    );
    const current = rows[0]?.v ?? 0;
    if (current > MIGRATIONS.length)
      throw new Error(
        `the event store's schema is at version ${current}, newer than this build knows (${MIGRATIONS.length}); run a newer build`,
      );
    for (let v = current + 1; v <= MIGRATIONS.length; v++) {
      await client.query(MIGRATIONS[v - 1]!);
      await client.query("INSERT INTO event_store_schema (version) VALUES ($1)", [v]);
    }
    await client.query("COMMIT");
    return MIGRATIONS.length;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  }
}
