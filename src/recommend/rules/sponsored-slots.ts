import type { RecommendedItem } from "../../domain/recommended-item.js";
import type { CurationRule } from "./blocklists.js";

export interface SponsoredSlot<T> {
  /** 0-based position on the page. */
  position: number;
  item: T;
}

/**
 * Puts admin-defined items at fixed positions. A sponsored item that is already in the organic
 * list moves to its slot rather than appearing twice. Callers pass only slots whose items passed
 * the user's filters, already marked as sponsored.
 */
export function applySponsoredSlots<T extends { videoId: string }>(
  items: T[],
  slots: SponsoredSlot<T>[],
): T[] {
  const slotted = new Set(slots.map((s) => s.item.videoId));
  const out = items.filter((i) => !slotted.has(i.videoId));
  for (const slot of [...slots].sort((a, b) => a.position - b.position))
    out.splice(Math.min(slot.position, out.length), 0, slot.item);
  return out;
}

/**
 * The slots for the sponsored entries whose videos passed the user's filters (`eligible`, as the
 * store returned them), each item marked as sponsored and explained. Entries whose video failed
 * the filters get no slot: a sponsored video never bypasses a blocklist or a seen-filter.
 */
export function sponsoredSlots(
  curation: readonly CurationRule[],
  eligible: readonly { videoId: string; creatorId: string }[],
): SponsoredSlot<RecommendedItem>[] {
  const sponsored = curation.filter((c) => c.kind === "sponsored");
  return eligible.flatMap((hit) => {
    const entry = sponsored.find((s) => s.value === hit.videoId);
    if (!entry) return [];
    const position = entry.position ?? 0;
    const item: RecommendedItem = {
      videoId: hit.videoId,
      creatorId: hit.creatorId,
      score: 0,
      similarity: 0,
      signals: { content: 0, affinity: 0, popularity: 0, freshness: 0, activity: 0 },
      rankedPosition: 0,
      rules: [`sponsored slot at position ${position + 1}`],
      sponsored: true,
    };
    return [{ position, item }];
  });
}
