import type pg from "pg";
import type { ServedPage, UserFeedback } from "../domain/app-events.js";
import { RECORD_PAGE_SQL } from "./queries/append-sql.js";

export async function recordServedPage(pool: pg.Pool, page: ServedPage): Promise<void> {
  const inExperiment = page.experimentId !== undefined && page.arm !== undefined;
  await pool.query(RECORD_PAGE_SQL, [
    page.servedId,
    page.userId,
    page.servedAt,
    inExperiment ? page.experimentId : null,
    inExperiment ? page.arm : null,
    page.items.map((i) => i.position),
    page.items.map((i) => i.videoId),
    page.items.map((i) => i.sponsored),
  ]);
}

/**
 * A user's clicked videos and the ones shown `ignoredAfter` times or more and never clicked.
 * Reads that user's events only (the events_user index); retention bounds how many there are.
 */
export async function userFeedback(
  pool: pg.Pool,
  userId: string,
  ignoredAfter: number,
): Promise<UserFeedback> {
  const { rows } = await pool.query<{ video_id: string; shown: number; clicks: number }>(
    `SELECT video_id,
       count(*) FILTER (WHERE kind = 'impression')::int AS shown,
       count(*) FILTER (WHERE kind = 'click')::int AS clicks
     FROM events, unnest(video_ids) AS video_id
     WHERE user_id = $1 AND kind <> 'dwell'
     GROUP BY video_id
     HAVING count(*) FILTER (WHERE kind = 'click') > 0 OR count(*) FILTER (WHERE kind = 'impression') >= $2
     ORDER BY video_id`,
    [userId, ignoredAfter],
  );
  return {
    clicked: rows.filter((r) => r.clicks > 0).map((r) => r.video_id),
    ignored: new Map(rows.filter((r) => r.clicks === 0).map((r) => [r.video_id, r.shown])),
  };
}

/** Deletes events and pages served before now - retentionDays; the rollups stay for old reports. */
export async function applyRetention(
  pool: pg.Pool,
  retentionDays: number,
  now: Date,
): Promise<{ events: number; pages: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const events = await pool.query("DELETE FROM events WHERE served_at < $1", [cutoff]);
  const pages = await pool.query("DELETE FROM served_pages WHERE served_at < $1", [cutoff]);
  // The record of which worker ran which scheduled firing ages out with the events.
  await pool.query("DELETE FROM job_runs WHERE claimed_at < $1", [cutoff]);
  return { events: events.rowCount ?? 0, pages: pages.rowCount ?? 0 };
}
