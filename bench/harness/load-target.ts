import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { hashKey } from "../../src/platform/config/api-keys.js";
import type { Config } from "../../src/platform/config/config.js";
import type { Logger } from "../../src/platform/logger.js";
import { createEncoder } from "../../src/embed/encoder.js";
import { randomCrossEncoder } from "../../src/offline/training/random-cross-encoder.js";
import { startApiServer } from "./api-server-process.js";
import { openCachedDatasetStore, type CachedStore } from "./dataset-store-cache.js";

export interface LoadTarget {
  /** GraphQL URLs, taken round-robin. */
  urls: string[];
  key: string;
  /** weaviate-server's pid when this bench started it (its CPU is read from /proc). */
  weaviatePid?: number;
  /** The cached store behind the server this bench started; undefined with --targets. */
  store?: CachedStore;
  serverPid?: number;
  close(): Promise<void>;
}

/**
 * What bench:load drives: the replicas named by --targets, as they are, or its own server (the
 * real API as a child process, API key, rerank on with a random-weight MiniLM-architecture
 * cross-encoder) on the cached store of `dataset`. The bench's key is never rate limited: capacity
 * is measured, not a partner's budget; `admission` false turns overload shedding off for comparison.
 */
export async function openLoadTarget(opts: {
  targets?: string[];
  apiKey?: string;
  admission: boolean;
  dataset: string;
  cacheDir: string;
  recheck: boolean;
  scratch: string;
  config: Config;
  log: Logger;
  say: (line: string) => void;
}): Promise<LoadTarget> {
  if (opts.targets) return { urls: opts.targets, key: opts.apiKey!, close: async () => {} };
  const { config, log, say } = opts;
  const crossEncoder = randomCrossEncoder(config.weaviate.cacheDir, "minilm", log);
  const encoder = await createEncoder({ modelsDir: config.models.dir, ...config.models });
  const store = await openCachedDatasetStore(opts.dataset, encoder, opts.cacheDir, log, say, {
    recheck: opts.recheck,
  }).finally(() => encoder.dispose());
  const c = store.counts;
  say(
    `store: ${store.firstRun ? "first ingest" : store.reused ? "reopening and counting" : "idempotent re-ingest"} took ${store.ingestSeconds.toFixed(0)} s: ${c.creators} creators, ${c.videos} videos, ${c.comments} comments, ${c.users} commenters; embedded ${c.embedded}, wrote ${Object.values(c.written).reduce((a, b) => a + b, 0)} objects`,
  );
  const key = `trk_${randomBytes(24).toString("base64url")}`;
  const server = await startApiServer(store.weaviate, {
    NODE_ENV: "production",
    API_KEYS: `bench-load:partner:${hashKey(key)}`,
    RERANK_MODEL: crossEncoder,
    EVENTS_DATA_DIR: join(opts.scratch, "postgres"),
    RATE_LIMIT_PARTNER: "off",
    ...(opts.admission ? {} : { ADMISSION_MAX_CONCURRENCY: "0" }),
  }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  return {
    urls: [server.url],
    key,
    weaviatePid: store.weaviate.embedded?.pid,
    store,
    serverPid: server.pid,
    close: async () => {
      await server.stop();
      await store.close();
    },
  };
}
