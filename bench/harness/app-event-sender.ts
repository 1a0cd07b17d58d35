import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AppEvent } from "../../src/domain/app-events.js";
import { REPO_ROOT } from "../../src/platform/paths.js";
import { seededRandom } from "../../src/platform/seeded-random.js";
import { eventInput, pageEvents, type ServedRef } from "./event-batches.js";
import { postGraphQL, percentile } from "./load-driver.js";

export interface AppEventStats {
  calls: number;
  failed: number;
  sent: number;
  accepted: number;
  duplicates: number;
  refused: number;
  p50: number;
  p95: number;
  errors: Record<string, number>;
}

/**
 * What the apps do beside the feed requests: every page they get is reported (its impression,
 * and clicks by a seeded click model: each position clicked with probability `clickRate`, a dwell
 * per click) through recordEvents, queued and sent in batches of `batchSize` or every `flushMs`,
 * whichever comes first. Calls run alongside the load; their figures are kept apart from it.
 */
export function appEventSender(
  url: string,
  headers: Record<string, string>,
  opts: { batchSize?: number; flushMs?: number; clickRate?: number; seed?: number } = {},
) {
  const query = readFileSync(join(REPO_ROOT, "schema", "operations", "events.graphql"), "utf8");
  const batchSize = opts.batchSize ?? 100;
  const random = seededRandom(opts.seed ?? 13);
  let n = 0;
  const nextId = () => `load-${(n++).toString(36)}`;
  let queue: AppEvent[] = [];
  const inFlight = new Set<Promise<void>>();
  const ms: number[] = [];
  const stats = { calls: 0, failed: 0, sent: 0, accepted: 0, duplicates: 0, refused: 0 };
  const errors: Record<string, number> = {};

  const flush = () => {
    if (queue.length === 0) return;
    const batch = queue.slice(0, batchSize);
    queue = queue.slice(batchSize);
    const call = postGraphQL(
      url,
      { query, operationName: "RecordEvents", variables: { events: batch.map(eventInput) } },
      (data) => {
        const r = data.recordEvents ?? {};
        stats.accepted += r.accepted ?? 0;
        stats.duplicates += r.duplicates ?? 0;
        stats.refused += r.refused ?? 0;
        return r.refused
          ? { error: `refused: ${r.outcomes?.find((o: { reason?: string }) => o.reason)?.reason}` }
          : {};
      },
      { headers },
    ).then((s) => {
      stats.calls++;
      stats.sent += batch.length;
      ms.push(s.ms);
      if (!s.ok) {
        stats.failed++;
        errors[s.error ?? "failed"] = (errors[s.error ?? "failed"] ?? 0) + 1;
      }
    });
    inFlight.add(call);
    void call.finally(() => inFlight.delete(call));
  };
  const timer = setInterval(flush, opts.flushMs ?? 1000);

  return {
    /** A page the app showed: its events join the queue. */
    page(ref: ServedRef): void {
      queue.push(...pageEvents(ref, random, opts.clickRate ?? 0.05, nextId));
      while (queue.length >= batchSize) flush();
    },
    /** Sends what is queued and waits for every call. */
    async stop(): Promise<void> {
      clearInterval(timer);
      while (queue.length > 0) flush();
      await Promise.all([...inFlight]);
    },
    stats: (): AppEventStats => ({
      ...stats,
      p50: percentile(ms, 50),
      p95: percentile(ms, 95),
      errors: { ...errors },
    }),
  };
}
