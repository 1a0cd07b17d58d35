import type { AppEvent } from "../domain/app-events.js";

/** What validation needs of a served page: its id and the positions it had. */
export interface PageShape {
  servedId: string;
  positions: readonly number[];
}

export const MAX_CLIENT_EVENT_ID = 128;
/** A dwell longer than this is a stuck player or a broken clock, not watching. */
export const MAX_DWELL_MS = 6 * 60 * 60 * 1000;

/**
 * Why one event cannot be stored, in words a frontend engineer can act on, or undefined when it
 * can. `page` is the page its servedId names, undefined when we never served it (or it is past
 * retention). Pure: the store looks the pages up and calls this per event.
 */
export function refusalReason(event: AppEvent, page: PageShape | undefined): string | undefined {
  const id = event.clientEventId;
  if (typeof id !== "string" || id.length === 0) return "clientEventId is empty";
  if (id.length > MAX_CLIENT_EVENT_ID)
    return `clientEventId has ${id.length} characters (at most ${MAX_CLIENT_EVENT_ID})`;
  if (!page)
    return `unknown servedId "${event.servedId}": no page was served with this id (or it is past retention)`;
  const onPage = new Set(page.positions);
  const describe = `page ${page.servedId} (${page.positions.length} items)`;
  const missing = (p: number) => `position ${p} is not on ${describe}`;
  switch (event.kind) {
    case "impression": {
      const positions = event.positions;
      if (!Array.isArray(positions) || positions.length === 0) return "impression lists no positions";
      if (positions.length > page.positions.length)
        return `impression lists ${positions.length} positions, more than the ${describe} had`;
      if (new Set(positions).size !== positions.length)
        return `impression repeats position ${positions.find((p, i) => positions.indexOf(p) !== i)}`;
      const bad = positions.find((p) => !onPage.has(p));
      return bad === undefined ? undefined : missing(bad);
    }
    case "click":
      return onPage.has(event.position) ? undefined : missing(event.position);
    case "dwell": {
      if (!onPage.has(event.position)) return missing(event.position);
      const ms = event.dwellMs;
      if (!Number.isInteger(ms)) return `dwellMs ${ms} is not a whole number of milliseconds`;
      if (ms < 0) return `dwellMs ${ms} is negative`;
      if (ms > MAX_DWELL_MS) return `dwellMs ${ms} is over 6 hours (${MAX_DWELL_MS} ms)`;
      return undefined;
    }
    default:
      return `unknown event kind "${(event as { kind?: unknown }).kind}" (impression, click or dwell)`;
  }
}

/** The positions an event covers: all shown ones for an impression, the one for a click or dwell. */
export function eventPositions(event: AppEvent): number[] {
  return event.kind === "impression" ? event.positions : [event.position];
}
