/**
 * A short-lived cache for repeated identical queries (the seed: 5 minutes). The key is the whole
 * request, user id included, so one user's results can never be served to another. Bounded:
 * past `maxEntries` the oldest entry goes. `clear()` forgets everything (after curation changes);
 * `forget(test)` the entries whose request matches (one user's, after they comment).
 */
export function createResultCache<Req, Res>(ttlMs: number, maxEntries = 10_000) {
  const entries = new Map<string, { expires: number; value: Promise<Res>; req: Req }>();
  const wrap =
    (compute: (req: Req) => Promise<Res>) =>
    (req: Req): Promise<Res> => {
      if (ttlMs <= 0) return compute(req);
      const key = JSON.stringify(req);
      const now = Date.now();
      const hit = entries.get(key);
      if (hit && hit.expires > now) return hit.value;
      const value = compute(req);
      entries.delete(key);
      entries.set(key, { expires: now + ttlMs, value, req });
      // A failed computation is not remembered.
      value.catch(() => entries.get(key)?.value === value && entries.delete(key));
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return value;
    };
  const forget = (test: (req: Req) => boolean) => {
    for (const [key, entry] of entries) if (test(entry.req)) entries.delete(key);
  };
  return { wrap, clear: () => entries.clear(), forget };
}
