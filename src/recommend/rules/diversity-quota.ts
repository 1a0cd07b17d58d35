/**
 * At most `maxPerCreator` items of one creator in the first `pageSize` places while other
 * creators can fill them. Items over the quota move behind those rather than vanish, so a page is
 * only short when the list is.
 */
export function applyDiversityQuota<T extends { creatorId: string }>(
  items: T[],
  maxPerCreator: number,
  pageSize: number,
): T[] {
  const page: T[] = [];
  const deferred: T[] = [];
  const perCreator = new Map<string, number>();
  for (const item of items) {
    const seen = perCreator.get(item.creatorId) ?? 0;
    if (page.length < pageSize && seen < maxPerCreator) {
      page.push(item);
      perCreator.set(item.creatorId, seen + 1);
    } else deferred.push(item);
  }
  return [...page, ...deferred];
}

/**
 * The quota on every page, not only the first: the list is cut into pages of `pageSize`, each
 * filled best-first with at most `maxPerCreator` per creator, so any cursor page obeys it too.
 * When too few other creators remain, over-quota items fill the rest of the page rather than
 * leave it short (as in applyDiversityQuota).
 */
export function applyDiversityQuotaPaged<T extends { creatorId: string }>(
  items: T[],
  maxPerCreator: number,
  pageSize: number,
): T[] {
  const out: T[] = [];
  let rest = items;
  while (rest.length > 0) {
    const arranged = applyDiversityQuota(rest, maxPerCreator, pageSize);
    out.push(...arranged.slice(0, pageSize));
    rest = arranged.slice(pageSize);
  }
  return out;
}
