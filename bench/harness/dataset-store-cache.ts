import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../src/platform/paths.js";
import type { Encoder } from "../../src/embed/encoder.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { emptyCounts, type IngestCounts } from "../../src/ingest/ingest-counts.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import type { Logger } from "../../src/platform/logger.js";
import { applySchema } from "../../src/store/class-schema.js";
import { storeStatus } from "../../src/store/store-status.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";
import { phaseProgress } from "../../src/platform/progress.js";
import { openWeaviateAt } from "../../src/store/scratch-weaviate.js";

export interface CachedStore {
  weaviate: WeaviateHandle;
  dir: string;
  /** True when this run found no finished ingest in the cache and paid for the whole one. */
  firstRun: boolean;
  /** True when the cached store matched its record and nothing was ingested. */
  reused: boolean;
  ingestSeconds: number;
  counts: IngestCounts;
  /** Releases the lock and stops Weaviate; the data stays for the next run. */
  close(): Promise<void>;
}

/** What a finished ingest leaves beside the store, and what a later run checks the store against. */
interface IngestRecord {
  at: string;
  seconds: number;
  counts: Pick<IngestCounts, "creators" | "videos" | "comments" | "users">;
  /** Objects per class right after the ingest. */
  objects: Record<string, number>;
}

/**
 * A Weaviate holding a whole TikLiveAPI dump, kept under <cacheRoot>/<key>/ so only the first run
 * pays for embedding it (~10 min for the dev split on 2 quiet cores). The key hashes the dump's
 * files, the encoder and the class definitions, so a change to any of them gets a fresh store.
 * A later run checks the store's object counts against the record the finished ingest left and
 * uses it as it is. With `recheck`, or when the counts differ (or a first run was interrupted),
 * it runs the ingest again over the store: ingestion is idempotent, so that embeds and writes only
 * what is missing, but it still reads every object back (minutes at this size).
 */
export async function openCachedDatasetStore(
  dataset: string,
  encoder: Encoder,
  cacheRoot: string,
  log: Logger,
  say: (line: string) => void,
  opts: { recheck?: boolean } = {},
): Promise<CachedStore> {
  const started = performance.now();
  const key = `${hashDump(dataset).slice(0, 12)}-${encoder.modelId.replace(/[^\w.-]+/g, "_")}-schema-${hashClasses().slice(0, 8)}`;
  const dir = join(cacheRoot, key);
  mkdirSync(dir, { recursive: true });
  const releaseLock = takeLock(join(dir, "lock"));
  const markerPath = join(dir, "ingested.json");
  const record = existsSync(markerPath)
    ? (JSON.parse(readFileSync(markerPath, "utf8")) as Partial<IngestRecord>)
    : undefined;
  say(
    record
      ? `store: reusing the cached store in ${dir} (ingested ${record.at} in ${record.seconds?.toFixed(0)} s)`
      : `store: no finished ingest cached in ${dir}: ingesting the whole dump once (embeds every text: about 10 minutes for the dev split on 2 quiet cores); later runs reuse it`,
  );
  let weaviate: WeaviateHandle | undefined;
  try {
    weaviate = await openWeaviateAt(join(dir, "weaviate"), log);
    await applySchema(weaviate, log);
    const handle = weaviate;
    const opened = (counts: IngestCounts, seconds: number, reused: boolean): CachedStore => ({
      weaviate: handle,
      dir,
      firstRun: !record,
      reused,
      ingestSeconds: seconds,
      counts,
      close: async () => {
        await handle.close();
        releaseLock();
      },
    });
    const objects = await objectCounts(handle);
    if (record?.objects && record.counts && !opts.recheck) {
      const differ = Object.keys({ ...record.objects, ...objects }).filter(
        (c) => record.objects![c] !== objects[c],
      );
      if (differ.length === 0) {
        say(
          `store: object counts match the ingest's record (${Object.entries(objects)
            .map(([c, n]) => `${c} ${n}`)
            .join(", ")}); no re-ingest (--recheck forces one)`,
        );
        return opened({ ...emptyCounts(), ...record.counts }, (performance.now() - started) / 1000, true);
      }
      say(
        `store: counts differ from the ingest's record (${differ.map((c) => `${c} ${objects[c]} != ${record.objects![c]}`).join(", ")}): ingesting again over it`,
      );
    } else if (record) say("store: running the idempotent ingest over it to check it is complete");
    const dump = createDumpSource(dataset);
    // A dump replays every recorded video and comment whatever count is asked, as in eval.
    const outcome = await createIngestRunner({ weaviate, encoder, log }).run(dump, dump.usernames(), {
      trigger: "bench-load",
      onProgress: (p) => progress(`ingest ${p.phase}`, p.done, p.total),
    });
    if (outcome.status !== "succeeded")
      throw new Error(
        `ingesting ${dataset} ended ${outcome.status}: ${outcome.counts.errors.slice(0, 5).join("; ")}`,
      );
    const { creators, videos, comments, users } = outcome.counts;
    const written: IngestRecord = {
      at: new Date().toISOString(),
      seconds: outcome.seconds,
      counts: { creators, videos, comments, users },
      objects: await objectCounts(handle),
    };
    writeFileSync(
      markerPath,
      `${JSON.stringify({ ...written, dataset, modelId: encoder.modelId, embedded: outcome.counts.embedded }, null, 2)}\n`,
    );
    return opened(outcome.counts, outcome.seconds, false);
  } catch (err) {
    await weaviate?.close();
    releaseLock();
    throw err;
  }
}

async function objectCounts(handle: WeaviateHandle): Promise<Record<string, number>> {
  const skip = new Set(["IngestRun", "Cohort"]); // these change with every run and every server start
  return Object.fromEntries(
    (await storeStatus(handle)).counts
      .filter((c) => !skip.has(c.className))
      .map((c) => [c.className, c.objects]),
  );
}

const progress = phaseProgress("bench:load");

/** sha256 over the dump's relative paths and contents (users/, posts/, comments/, manifest.json). */
function hashDump(dataset: string): string {
  const hash = createHash("sha256");
  for (const sub of ["users", "posts", "comments"]) {
    const folder = join(dataset, sub);
    if (!existsSync(folder)) continue;
    for (const name of readdirSync(folder).sort()) {
      hash.update(`${sub}/${name}\0`);
      hash.update(readFileSync(join(folder, name)));
    }
  }
  if (existsSync(join(dataset, "manifest.json"))) hash.update(readFileSync(join(dataset, "manifest.json")));
  return hash.digest("hex");
}

function hashClasses(): string {
  const folder = join(REPO_ROOT, "weaviate", "classes");
  const hash = createHash("sha256");
  for (const name of readdirSync(folder).sort()) hash.update(name).update(readFileSync(join(folder, name)));
  return hash.digest("hex");
}

/** One bench at a time per cached store: two Weaviates on one data folder would corrupt it. */
function takeLock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number(readFileSync(path, "utf8"));
      if (holder > 0 && holder !== process.pid && alive(holder))
        throw new Error(
          `${path} is held by process ${holder} (another bench:load on the same cached store); wait for it to finish`,
        );
      rmSync(path, { force: true }); // left by a run that died
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
