/**
 * One batch of events in one statement (so one transaction): the insert skips events stored
 * before (ON CONFLICT DO NOTHING), and its RETURNING, the rows actually inserted, feeds the rollup
 * upserts, so a retried batch adds nothing. Every event takes its user, experiment, arm, served
 * time and per-position video and sponsored flag from the page. Rollup rows are upserted in key
 * order, so two replicas' batches lock shared rows in the same order and do not deadlock.
 *
 * $1 source, then one array per field: $2 client ids, $3 served ids, $4 kinds, $5 positions as
 * array literals ('{1,2}'), $6 dwell ms, $7 occurred at.
 */
export const APPEND_EVENTS_SQL = `
WITH input AS (
  SELECT t.client_event_id, t.served_id, t.kind, t.pos::smallint[] AS positions, t.dwell_ms, t.occurred_at, t.ord
  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::timestamptz[])
    WITH ORDINALITY AS t(client_event_id, served_id, kind, pos, dwell_ms, occurred_at, ord)
), ins AS (
  INSERT INTO events (source, client_event_id, served_id, kind, positions, video_ids, sponsored, dwell_ms,
                      user_id, experiment_id, arm, served_at, occurred_at)
  SELECT $1, i.client_event_id, i.served_id, i.kind, i.positions,
    ARRAY(SELECT p.video_ids[array_position(p.positions, x)] FROM unnest(i.positions) WITH ORDINALITY u(x, o) ORDER BY o),
    ARRAY(SELECT p.sponsored[array_position(p.positions, x)] FROM unnest(i.positions) WITH ORDINALITY u(x, o) ORDER BY o),
    i.dwell_ms, p.user_id, p.experiment_id, p.arm, p.served_at, i.occurred_at
  FROM input i JOIN served_pages p ON p.served_id = i.served_id
  ORDER BY i.ord
  ON CONFLICT (source, client_event_id) DO NOTHING
  RETURNING client_event_id, kind, positions, video_ids, sponsored, dwell_ms, user_id, experiment_id, arm, served_at
), day_rows AS (
  INSERT INTO arm_user_days AS r (experiment_id, arm, user_id, day, impressions, clicks, dwell_ms, dwell_events, events)
  SELECT experiment_id, arm, user_id, (served_at AT TIME ZONE 'UTC')::date,
    coalesce(sum(cardinality(positions)) FILTER (WHERE kind = 'impression'), 0),
    count(*) FILTER (WHERE kind = 'click'),
    coalesce(sum(dwell_ms) FILTER (WHERE kind = 'dwell'), 0),
    count(*) FILTER (WHERE kind = 'dwell'),
    count(*)
  FROM ins WHERE experiment_id IS NOT NULL AND arm IS NOT NULL
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (experiment_id, arm, user_id, day) DO UPDATE SET
    impressions = r.impressions + EXCLUDED.impressions, clicks = r.clicks + EXCLUDED.clicks,
    dwell_ms = r.dwell_ms + EXCLUDED.dwell_ms, dwell_events = r.dwell_events + EXCLUDED.dwell_events,
    events = r.events + EXCLUDED.events
  RETURNING 1
), position_rows AS (
  INSERT INTO arm_positions AS r (experiment_id, arm, position, sponsored, impressions, clicks)
  SELECT ins.experiment_id, ins.arm, u.position, u.sponsored,
    count(*) FILTER (WHERE ins.kind = 'impression'), count(*) FILTER (WHERE ins.kind = 'click')
  FROM ins CROSS JOIN LATERAL unnest(ins.positions, ins.sponsored) AS u(position, sponsored)
  WHERE ins.experiment_id IS NOT NULL AND ins.arm IS NOT NULL AND ins.kind <> 'dwell'
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT (experiment_id, arm, position, sponsored) DO UPDATE SET
    impressions = r.impressions + EXCLUDED.impressions, clicks = r.clicks + EXCLUDED.clicks
  RETURNING 1
)
SELECT client_event_id, kind, user_id, video_ids[1] AS video_id FROM ins`;

/**
 * A served page, and for a page of an experiment its user-day's page count, in one statement:
 * the serving path pays one round trip. A page recorded twice (a retry) counts once.
 */
export const RECORD_PAGE_SQL = `
WITH p AS (
  INSERT INTO served_pages (served_id, user_id, served_at, experiment_id, arm, positions, video_ids, sponsored)
  VALUES ($1, $2, $3, $4, $5, $6::smallint[], $7::text[], $8::boolean[])
  ON CONFLICT (served_id) DO NOTHING
  RETURNING experiment_id, arm, user_id, served_at
)
INSERT INTO arm_user_days AS r (experiment_id, arm, user_id, day, pages)
SELECT experiment_id, arm, user_id, (served_at AT TIME ZONE 'UTC')::date, 1
FROM p WHERE experiment_id IS NOT NULL AND arm IS NOT NULL
ON CONFLICT (experiment_id, arm, user_id, day) DO UPDATE SET pages = r.pages + 1`;
