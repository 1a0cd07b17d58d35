import type { ParsedEvent } from "../api/services.js";
import type { EventOutcome } from "../domain/app-events.js";
import type { EventStore } from "../events/event-store.js";
import type { Logger } from "../platform/logger.js";
import type { Metrics } from "../platform/metrics.js";

export interface EventRecorderOptions {
  /** Most events one call stores; the rest of a longer batch is refused, the first ones land. */
  batchMax: number;
  /** Clicks join the users' engaged videos in Weaviate (the feedback into ranking). */
  recordClicks: (clicks: { userId: string; videoId: string }[]) => Promise<unknown>;
  /** Told which users clicked, after their clicks are stored (their cached pages are stale). */
  onClicks: (userIds: Set<string>) => void;
  log: Logger;
  metrics: Metrics;
}

const refused = (clientEventId: string, reason: string): EventOutcome => ({
  clientEventId,
  status: "refused",
  reason,
});

/**
 * recordEvents: refuses malformed events and those past the batch limit one by one, stores the
 * rest in one transaction (a failure of the store fails the whole call, so the app retries it and
 * the client event ids keep the retry from counting twice), then feeds the clicks into ranking.
 */
export function createEventRecorder(store: EventStore | undefined, opts: EventRecorderOptions) {
  return async (source: string, events: ParsedEvent[]): Promise<EventOutcome[]> => {
    if (!store)
      return events.map((e) =>
        refused(e.clientEventId, "the event store is off (EVENTS_DATABASE_URL=off): events are not kept"),
      );
    const outcomes: EventOutcome[] = new Array(events.length);
    const valid: number[] = [];
    events.forEach((e, i) => {
      if (i >= opts.batchMax)
        outcomes[i] = refused(
          e.clientEventId,
          `over the batch limit of ${opts.batchMax} events: send it in the next batch`,
        );
      else if (e.kind === "malformed") outcomes[i] = refused(e.clientEventId, e.reason);
      else valid.push(i);
    });
    const stored = await store.appendEvents(
      source,
      valid.map((i) => events[i] as Exclude<ParsedEvent, { kind: "malformed" }>),
    );
    valid.forEach((i, k) => (outcomes[i] = stored[k]!));
    const byStatus = new Map<string, number>();
    for (const o of outcomes) byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    for (const [outcome, n] of byStatus) opts.metrics.count("app_events_total", { outcome }, n);
    await feedClicks(outcomes, opts);
    return outcomes;
  };
}

/** A failed Weaviate write does not fail the batch: the click is stored, and its video stays excluded. */
async function feedClicks(outcomes: EventOutcome[], opts: EventRecorderOptions): Promise<void> {
  const clicks = outcomes.flatMap((o) => (o.status === "accepted" && o.click ? [o.click] : []));
  if (clicks.length === 0) return;
  try {
    await opts.recordClicks(clicks);
  } catch (err) {
    opts.metrics.count("click_feedback_errors_total", {});
    opts.log.warn("clicks stored but not yet in the users' interest vectors", {
      clicks: clicks.length,
      error: String(err),
    });
  }
  opts.onClicks(new Set(clicks.map((c) => c.userId)));
}
