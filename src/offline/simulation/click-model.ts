import { createHash } from "node:crypto";
import type { AppEvent } from "../../domain/app-events.js";
import { seededRandom } from "../../platform/seeded-random.js";

/**
 * The click model the simulation's users follow, documented in one place (docs and report cite it):
 *
 * - a user sees the whole page of 10 (one impression event for positions 1-10);
 * - P(click at position p) = base × DECAY^(p-1), base = RELEVANT_BASE when the video is one of the
 *   user's held-out (future) videos, OTHER_BASE otherwise; each position is drawn independently;
 * - every click gets a dwell event whose duration is log-normal, median RELEVANT_DWELL_MS for a
 *   held-out video and OTHER_DWELL_MS otherwise, log-sd DWELL_SIGMA.
 *
 * So a ranker that puts a user's future videos higher earns more clicks and longer dwell: the
 * online figures move in the direction the offline recall moves.
 */
export const CLICK_MODEL = {
  relevantBase: 0.3,
  otherBase: 0.03,
  decay: 0.85,
  relevantDwellMs: 20_000,
  otherDwellMs: 6_000,
  dwellSigma: 0.8,
  /** Chance that a user visits (gets one page) on a given day. */
  visitProbability: 0.7,
} as const;

/** A generator seeded from the run's seed and a key (user, day, ...): draws do not depend on order. */
export function keyedRandom(seed: number, ...key: (string | number)[]): () => number {
  const digest = createHash("sha256")
    .update(`${seed}:${key.join(":")}`)
    .digest();
  return seededRandom(digest.readUInt32BE(0));
}

export interface DrawnClick {
  position: number;
  videoId: string;
  dwellMs: number;
  relevant: boolean;
}

/** Whether the user visits on this day (drawn from its own key, so every run sees the same visits). */
export function visits(seed: number, userId: string, day: number): boolean {
  return keyedRandom(seed, "visit", userId, day)() < CLICK_MODEL.visitProbability;
}

/** The clicks one user makes on one page (videos in position order), by the click model. */
export function drawClicks(
  videoIds: readonly string[],
  heldOut: ReadonlySet<string>,
  random: () => number,
): DrawnClick[] {
  const m = CLICK_MODEL;
  const clicks: DrawnClick[] = [];
  videoIds.forEach((videoId, i) => {
    const relevant = heldOut.has(videoId);
    const p = (relevant ? m.relevantBase : m.otherBase) * m.decay ** i;
    // Draw both numbers whatever happens, so one position's outcome never shifts the next's.
    const [u, z] = [random(), standardNormal(random)];
    if (u >= p) return;
    const median = relevant ? m.relevantDwellMs : m.otherDwellMs;
    clicks.push({
      position: i + 1,
      videoId,
      relevant,
      dwellMs: Math.round(median * Math.exp(m.dwellSigma * z)),
    });
  });
  return clicks;
}

/** Box-Muller from two uniforms (the first kept away from 0). */
function standardNormal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The app's events for one page and its clicks: an impression of every position, then click and dwell each. */
export function pageEvents(servedId: string, positions: number, clicks: readonly DrawnClick[]): AppEvent[] {
  return [
    {
      kind: "impression",
      clientEventId: `${servedId}:i`,
      servedId,
      positions: Array.from({ length: positions }, (_, i) => i + 1),
    },
    ...clicks.flatMap((c): AppEvent[] => [
      { kind: "click", clientEventId: `${servedId}:c${c.position}`, servedId, position: c.position },
      {
        kind: "dwell",
        clientEventId: `${servedId}:d${c.position}`,
        servedId,
        position: c.position,
        dwellMs: c.dwellMs,
      },
    ]),
  ];
}
