import type { PageRequest } from "../../api/services.js";
import type { AppEvent } from "../../domain/app-events.js";
import { timed } from "./event-meter.js";
import { drawClicks, keyedRandom, pageEvents, type DrawnClick } from "./click-model.js";
import type { SimulationWorld, SimUser } from "./world.js";

/** The request a simulated app sends: the first page of 10, no cross-encoder (none is loaded offline). */
export const pageRequest = (userId: string): PageRequest => ({
  userId,
  offset: 0,
  pageSize: 10,
  filters: {},
  maxPerCreator: 2,
  coldStart: true,
  rerank: false,
});

export interface ServedVisit {
  userId: string;
  arm?: string;
  videoIds: string[];
  clicks: DrawnClick[];
}

/** Outcomes of the events sent through recordEvents, summed. */
export interface EventTally {
  accepted: number;
  duplicate: number;
  refused: number;
  /** Visits whose page had no servedId (the store did not take it) or was not a page at all. */
  unserved: number;
}

export const newTally = (): EventTally => ({ accepted: 0, duplicate: 0, refused: 0, unserved: 0 });

const BATCH = 500;
const CONCURRENCY = 4;

/**
 * One simulated day of these visiting users through the real service: each gets a page from
 * services.recommend, clicks by the click model, and the app's events go through
 * services.recordEvents in batches of up to 500 (so clicks reach Weaviate before the next day).
 */
export async function serveDay(
  world: SimulationWorld,
  visitors: readonly SimUser[],
  day: number,
  seed: number,
  tally: EventTally,
): Promise<ServedVisit[]> {
  const visits: ServedVisit[] = [];
  let pending: AppEvent[] = [];
  const flush = async (all: boolean) => {
    while (pending.length >= (all ? 1 : BATCH)) {
      const batch = pending.slice(0, BATCH);
      pending = pending.slice(BATCH);
      const outcomes = await timed(world.meter.record, batch.length, () =>
        world.services.recordEvents("simulation", batch),
      );
      for (const o of outcomes) tally[o.status]++;
    }
  };
  for (let i = 0; i < visitors.length; i += CONCURRENCY) {
    const chunk = visitors.slice(i, i + CONCURRENCY);
    const served = await Promise.all(chunk.map((u) => world.services.recommend(pageRequest(u.userId))));
    served.forEach((page, k) => {
      const user = chunk[k]!;
      if (page.kind !== "page" || !page.servedId) {
        tally.unserved++;
        return;
      }
      const videoIds = page.items.map((it) => it.videoId);
      const clicks = drawClicks(videoIds, user.heldOut, keyedRandom(seed, "clicks", user.userId, day));
      pending.push(...pageEvents(page.servedId, videoIds.length, clicks));
      visits.push({ userId: user.userId, arm: page.experiment?.arm, videoIds, clicks });
    });
    await flush(false);
  }
  await flush(true);
  return visits;
}
