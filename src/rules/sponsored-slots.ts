export interface SponsoredSlot<T> {
  /** 0-based position on the page. */
  position: number;
  item: T;
}

/**
 * Puts admin-defined items at fixed positions. A sponsored item that is already in the organic
 * list moves to its slot rather than appearing twice. Callers pass only slots whose items passed
 * the user's filters; `sponsored` marks them for the response.
 */
export function applySponsoredSlots<T extends { videoId: string }>(items: T[], slots: SponsoredSlot<T>[]): (T & { sponsored: boolean })[] {
  const slotted = new Set(slots.map((s) => s.item.videoId));
  const out: (T & { sponsored: boolean })[] = items.filter((i) => !slotted.has(i.videoId)).map((i) => ({ ...i, sponsored: false }));
  for (const slot of [...slots].sort((a, b) => a.position - b.position)) {
    out.splice(Math.min(slot.position, out.length), 0, { ...slot.item, sponsored: true });
  }
  return out;
}
