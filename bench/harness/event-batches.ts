import type { AppEvent } from "../../src/domain/app-events.js";
import { seededRandom } from "../../src/platform/seeded-random.js";

/** A page the service served, as the benches remember it to report on. */
export interface ServedRef {
  servedId: string;
  /** Items on the page (positions 1..items). */
  items: number;
}

/**
 * What an app reports about one page it showed: an impression of every position, a click on each
 * position with probability `clickRate` (a flat, seeded model: the benches measure the pipe, not
 * the users), and a dwell time for every click.
 */
export function pageEvents(
  page: ServedRef,
  random: () => number,
  clickRate: number,
  nextId: () => string,
): AppEvent[] {
  const positions = Array.from({ length: page.items }, (_, i) => i + 1);
  const events: AppEvent[] = [
    { kind: "impression", clientEventId: nextId(), servedId: page.servedId, positions },
  ];
  for (const position of positions) {
    if (random() >= clickRate) continue;
    events.push({ kind: "click", clientEventId: nextId(), servedId: page.servedId, position });
    const dwellMs = Math.round(500 + random() * 30_000);
    events.push({ kind: "dwell", clientEventId: nextId(), servedId: page.servedId, position, dwellMs });
  }
  return events;
}

/**
 * Batches of exactly `size` events cycling over `pages` (a few hundred pages stand for many: each
 * event gets a fresh id, so every one is stored and rolled up). Seeded, so runs compare.
 */
export function batchMaker(
  pages: ServedRef[],
  opts: { size: number; clickRate?: number; seed?: number; prefix: string },
) {
  if (pages.length === 0) throw new Error("no served pages to report events about");
  const random = seededRandom(opts.seed ?? 11);
  let n = 0;
  let p = 0;
  const nextId = () => `${opts.prefix}-${(n++).toString(36)}`;
  let queue: AppEvent[] = [];
  return (): AppEvent[] => {
    while (queue.length < opts.size)
      queue.push(...pageEvents(pages[p++ % pages.length]!, random, opts.clickRate ?? 0.05, nextId));
    const batch = queue.slice(0, opts.size);
    queue = queue.slice(opts.size);
    return batch;
  };
}

/** An event as the recordEvents mutation takes it (AppEventInput). */
export function eventInput(e: AppEvent): Record<string, unknown> {
  const base = { clientEventId: e.clientEventId, servedId: e.servedId, kind: e.kind.toUpperCase() };
  if (e.kind === "impression") return { ...base, positions: e.positions };
  if (e.kind === "click") return { ...base, position: e.position };
  return { ...base, position: e.position, dwellMs: e.dwellMs };
}
