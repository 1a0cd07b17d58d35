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
export function applySponsoredSlots<T extends { videoId: string }>(items: T[], slots: SponsoredSlot<T>[]): T[] {
  const slotted = new Set(slots.map((s) => s.item.videoId));
  const out = items.filter((i) => !slotted.has(i.videoId));
  for (const slot of [...slots].sort((a, b) => a.position - b.position)) out.splice(Math.min(slot.position, out.length), 0, slot.item);
  return out;
}
