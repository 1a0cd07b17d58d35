import type { RecommendedItem } from "../../domain/recommended-item.js";

export interface DemoteIgnoredOptions {
  /** Places an ignored item drops per time it was shown (shown 4 times at 2 a showing: 8 places). */
  placesPerShowing: number;
}

/**
 * Pushes down the items a user was shown again and again and never clicked (`ignored`: video id ->
 * times shown, already cut to the caller's threshold). Each ignored item drops
 * `placesPerShowing × timesShown` places, i.e. that many of the items below it pass it, so a video
 * shown more often sinks further but is never dropped from the list. Ignored items keep their order
 * among themselves, so none ever ends above where it was. `rankedPosition` is left alone (the
 * explain trail compares against it); the note says where this rule moved the item.
 * Runs before the diversity quota, on the list as ranked.
 */
export function demoteIgnored<T extends Pick<RecommendedItem, "videoId" | "rules">>(
  items: readonly T[],
  ignored: ReadonlyMap<string, number>,
  opts: DemoteIgnoredOptions,
): T[] {
  // A sort key per item: its index, or for an ignored one the index it drops to plus a half, so it
  // lands just behind the item that held that place; never ahead of an ignored item ranked above.
  let floor = -Infinity;
  const keyed = items.map((item, index) => {
    const shown = ignored.get(item.videoId);
    if (shown === undefined) return { item, index, key: index, shown };
    floor = Math.max(floor, index + opts.placesPerShowing * shown + 0.5);
    return { item, index, key: floor, shown };
  });
  const sorted = [...keyed].sort((a, b) => a.key - b.key || a.index - b.index);
  for (const [to, { item, index, shown }] of sorted.entries()) {
    if (shown === undefined) continue;
    const times = `shown ${shown} time${shown === 1 ? "" : "s"}, never clicked`;
    item.rules.push(
      to > index ? `${times}: moved down from ${index + 1} to ${to + 1}` : `${times}: kept at ${to + 1}`,
    );
  }
  return sorted.map((k) => k.item);
}
