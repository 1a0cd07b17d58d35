import pg from "pg";
import { APPEND_EVENTS_SQL } from "../../src/events/queries/append-sql.js";

/** The synthetic experiment's traffic: pages cycle through users, then days. */
export interface BulkShape {
  experimentId: string;
  arms: string[];
  users: number;
  days: number;
  /** 00:00 UTC of the first day. */
  start: Date;
  /** Events wanted; pages are half as many (1 impression + 0.5 clicks + 0.5 dwells a page on average). */
  events: number;
  /** Pages per statement. */
  chunk?: number;
}

/**
 * Pages of one chunk, as the serving path records them (served_pages plus the arm-day page
 * count of RECORD_PAGE_SQL, summed for many pages): page p is user p % users on day
 * (p / users) % days, its arm a hash of the user, 10 positions, a sponsored item at position 3
 * on every other page.
 */
const PAGES_SQL = `
WITH p AS (
  INSERT INTO served_pages (served_id, user_id, served_at, experiment_id, arm, positions, video_ids, sponsored)
  SELECT 'bulk-' || p, 'bulk-u' || (p % $3), $5::timestamptz + ((p / $3) % $4) * interval '1 day' + (p % 86400) * interval '1 second',
    $1, ($2::text[])[1 + (hashint8(p % $3) & 2147483647) % cardinality($2::text[])],
    '{1,2,3,4,5,6,7,8,9,10}'::smallint[],
    ARRAY(SELECT 'v' || ((p * 7 + x * 131) % 5000) FROM generate_series(1, 10) x),
    ARRAY[false, false, p % 2 = 0, false, false, false, false, false, false, false]
  FROM generate_series($6::bigint, $7::bigint - 1) p
  RETURNING experiment_id, arm, user_id, served_at
)
INSERT INTO arm_user_days AS r (experiment_id, arm, user_id, day, pages)
SELECT experiment_id, arm, user_id, (served_at AT TIME ZONE 'UTC')::date, count(*)
FROM p GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
ON CONFLICT (experiment_id, arm, user_id, day) DO UPDATE SET pages = r.pages + EXCLUDED.pages`;

/**
 * The events of pages [a, b) fed to the store's own append statement (APPEND_EVENTS_SQL, passed
 * in as text), so events and rollups are exactly what appendEvents would have written: an
 * impression of all 10 positions, a click on each position with probability 5% (a hash), and a
 * dwell for every click.
 */
const APPEND_FN = `
CREATE FUNCTION pg_temp.bulk_append(stmt text, a bigint, b bigint) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE ids text[]; sids text[]; kinds text[]; pos text[]; dw integer[]; occ timestamptz[];
BEGIN
  SELECT array_agg(e.id), array_agg(e.sid), array_agg(e.kind), array_agg(e.pos), array_agg(e.dwell), array_agg(e.occ)
  INTO ids, sids, kinds, pos, dw, occ
  FROM (
    SELECT 'i' || p AS id, 'bulk-' || p AS sid, 'impression' AS kind, '{1,2,3,4,5,6,7,8,9,10}' AS pos,
      NULL::integer AS dwell, NULL::timestamptz AS occ
    FROM generate_series(a, b - 1) p
    UNION ALL
    SELECT v.k || p || '-' || x, 'bulk-' || p, CASE v.k WHEN 'c' THEN 'click' ELSE 'dwell' END, '{' || x || '}',
      CASE v.k WHEN 'd' THEN (500 + (hashint8(p * 16 + x + 7) & 2147483647) % 30000)::integer END, NULL
    FROM generate_series(a, b - 1) p CROSS JOIN generate_series(1, 10) x CROSS JOIN (VALUES ('c'), ('d')) v(k)
    WHERE (hashint8(p * 16 + x) & 2147483647) % 1000 < 50
  ) e;
  EXECUTE stmt USING 'bulk'::text, ids, sids, kinds, pos, dw, occ;
END $fn$`;

/**
 * The same events written straight from the pages (each event copies its positions' videos and
 * sponsored flags from the page, as the append statement does), with the rollups done by the
 * append statement's own rollup clauses (cut from APPEND_EVENTS_SQL), so they are summed exactly
 * as the service sums them. It skips the statement's per-position lookups in the page; on our
 * busy 2 cores the two ran at about the same rate (8-9k events/s at 0.4-1M events), so the
 * default is a choice of simplicity, not a measured speed-up.
 */
function directAppendSql(): string {
  const rollups = APPEND_EVENTS_SQL.slice(APPEND_EVENTS_SQL.indexOf("), day_rows AS ("));
  const tail = rollups.slice(0, rollups.lastIndexOf("SELECT client_event_id"));
  if (!tail.includes("position_rows AS"))
    throw new Error("APPEND_EVENTS_SQL changed shape: update event-bulk.ts");
  return `
WITH ins AS (
  INSERT INTO events (source, client_event_id, served_id, kind, positions, video_ids, sponsored, dwell_ms,
                      user_id, experiment_id, arm, served_at)
  SELECT 'bulk', e.id, p.served_id, e.kind, e.pos, e.vids, e.sp, e.dwell, p.user_id, p.experiment_id, p.arm, p.served_at
  FROM generate_series($1::bigint, $2::bigint - 1) n
  JOIN served_pages p ON p.served_id = 'bulk-' || n
  CROSS JOIN LATERAL (
    SELECT 'i' || n AS id, 'impression' AS kind, p.positions AS pos, p.video_ids AS vids, p.sponsored AS sp,
      NULL::integer AS dwell
    UNION ALL
    SELECT v.k || n || '-' || x, CASE v.k WHEN 'c' THEN 'click' ELSE 'dwell' END, ARRAY[x]::smallint[],
      ARRAY[p.video_ids[x]], ARRAY[p.sponsored[x]],
      CASE v.k WHEN 'd' THEN (500 + (hashint8(n * 16 + x + 7) & 2147483647) % 30000)::integer END
    FROM generate_series(1, 10) x CROSS JOIN (VALUES ('c'), ('d')) v(k)
    WHERE (hashint8(n * 16 + x) & 2147483647) % 1000 < 50
  ) e
  ON CONFLICT (source, client_event_id) DO NOTHING
  RETURNING client_event_id, kind, positions, video_ids, sponsored, dwell_ms, user_id, experiment_id, arm, served_at
${tail}SELECT count(*) FROM ins`;
}

/** "append": every event through APPEND_EVENTS_SQL; "direct": directAppendSql (the default). */
export type BulkMode = "append" | "direct";

/**
 * Fills the store's real tables with ~`events` events of one experiment, inside PostgreSQL:
 * pages by INSERT ... SELECT generate_series, their events and rollups as `mode` says, one chunk
 * per statement (autocommit, so WAL and memory stay bounded).
 */
export async function bulkGenerate(
  url: string,
  shape: BulkShape,
  progress: (pagesDone: number, pages: number) => void,
  mode: BulkMode = "direct",
): Promise<{ pages: number; events: number; seconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  try {
    await client.query(APPEND_FN);
    const direct = directAppendSql();
    const pages = Math.max(1, Math.round(shape.events / 2));
    const chunk = shape.chunk ?? 20_000;
    for (let a = 0; a < pages; a += chunk) {
      const b = Math.min(pages, a + chunk);
      await client.query(PAGES_SQL, [
        shape.experimentId,
        shape.arms,
        shape.users,
        shape.days,
        shape.start,
        a,
        b,
      ]);
      if (mode === "append")
        await client.query("SELECT pg_temp.bulk_append($1, $2, $3)", [APPEND_EVENTS_SQL, a, b]);
      else await client.query(direct, [a, b]);
      progress(b, pages);
    }
    await client.query("ANALYZE served_pages, events, arm_user_days, arm_positions");
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM events WHERE experiment_id = $1",
      [shape.experimentId],
    );
    return { pages, events: Number(rows[0]!.n), seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}
