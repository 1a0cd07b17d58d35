import type pg from "pg";
import type { AppEvent, EventOutcome } from "../domain/app-events.js";
import type { Logger } from "../platform/logger.js";
import { eventPositions, refusalReason, type PageShape } from "./event-validation.js";
import { APPEND_EVENTS_SQL } from "./queries/append-sql.js";

/** Deadlock and serialization failures are retried this often before the batch fails. */
const MAX_ATTEMPTS = 5;

/**
 * Validates each event against its page, then stores the valid, first-seen ones and their
 * rollups in one statement. Outcomes come back in input order.
 */
export async function appendEvents(
  pool: pg.Pool,
  log: Logger,
  source: string,
  events: AppEvent[],
): Promise<EventOutcome[]> {
  const outcomes: (EventOutcome | undefined)[] = new Array(events.length);
  const pages = await loadPages(pool, [...new Set(events.map((e) => e.servedId))]);
  const seen = new Set<string>();
  const candidates: { event: AppEvent; index: number }[] = [];
  events.forEach((event, index) => {
    const reason = refusalReason(event, pages.get(event.servedId));
    if (reason) outcomes[index] = { clientEventId: event.clientEventId, status: "refused", reason };
    else if (seen.has(event.clientEventId))
      outcomes[index] = { clientEventId: event.clientEventId, status: "duplicate" };
    else {
      seen.add(event.clientEventId);
      candidates.push({ event, index });
    }
  });
  if (candidates.length > 0) {
    // Key order: concurrent batches that share keys lock them in the same order.
    candidates.sort((a, b) => (a.event.clientEventId < b.event.clientEventId ? -1 : 1));
    const stored = await insert(
      pool,
      log,
      source,
      candidates.map((c) => c.event),
    );
    for (const { event, index } of candidates) {
      const row = stored.get(event.clientEventId);
      outcomes[index] = !row
        ? { clientEventId: event.clientEventId, status: "duplicate" }
        : row.kind === "click" && row.video_id
          ? {
              clientEventId: event.clientEventId,
              status: "accepted",
              click: { userId: row.user_id, videoId: row.video_id },
            }
          : { clientEventId: event.clientEventId, status: "accepted" };
    }
  }
  return outcomes as EventOutcome[];
}

async function loadPages(pool: pg.Pool, servedIds: string[]): Promise<Map<string, PageShape>> {
  const { rows } = await pool.query<{ served_id: string; positions: number[] }>(
    "SELECT served_id, positions FROM served_pages WHERE served_id = ANY($1::text[])",
    [servedIds],
  );
  return new Map(rows.map((r) => [r.served_id, { servedId: r.served_id, positions: r.positions }]));
}

interface StoredRow {
  client_event_id: string;
  kind: string;
  user_id: string;
  video_id: string | null;
}

async function insert(pool: pg.Pool, log: Logger, source: string, events: AppEvent[]) {
  const params = [
    source,
    events.map((e) => e.clientEventId),
    events.map((e) => e.servedId),
    events.map((e) => e.kind),
    events.map((e) => `{${eventPositions(e).join(",")}}`),
    events.map((e) => (e.kind === "dwell" ? e.dwellMs : null)),
    events.map((e) => (e.occurredAt instanceof Date && !isNaN(e.occurredAt.getTime()) ? e.occurredAt : null)),
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows } = await pool.query<StoredRow>(APPEND_EVENTS_SQL, params);
      return new Map(rows.map((r) => [r.client_event_id, r]));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if ((code !== "40P01" && code !== "40001") || attempt >= MAX_ATTEMPTS) throw err;
      log.warn("event batch hit a lock conflict; retrying", { code, attempt, events: events.length });
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}
