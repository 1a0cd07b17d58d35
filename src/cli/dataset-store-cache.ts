import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../config/paths.js";
import type { Encoder } from "../embed/encoder.js";
import { createDumpSource } from "../ingest/dump-source.js";
import type { IngestCounts } from "../ingest/ingest-counts.js";
import { createIngestRunner } from "../ingest/ingest-runner.js";
import type { Logger } from "../logger.js";
import { applySchema } from "../store/class-schema.js";
import type { WeaviateHandle } from "../store/weaviate-connection.js";
import { phaseProgress } from "./progress.js";
import { openWeaviateAt } from "./scratch-weaviate.js";

export interface CachedStore {
  weaviate: WeaviateHandle;
  dir: string;
  /** True when this run found no finished ingest in the cache and paid for the whole one. */
  firstRun: boolean;
  ingestSeconds: number;
  counts: IngestCounts;
  /** Releases the lock and stops Weaviate; the data stays for the next run. */
  close(): Promise<void>;
}

/**
 * A Weaviate holding a whole TikLiveAPI dump, kept under <cacheRoot>/<key>/ so only the
 * first run pays for embedding it (~10 min for the dev split on 2 cores). The key hashes the
 * dump's files, the encoder and the class definitions, so a change to any of them gets a fresh
 * store. Every run still ingests, because ingestion is idempotent: over an up-to-date store it
 * embeds and writes nothing, and after an interrupted first run it finishes the job.
 */
export async function openCachedDatasetStore(dataset: string, encoder: Encoder, cacheRoot: string, log: Logger, say: (line: string) => void): Promise<CachedStore> {
  const key = `${hashDump(dataset).slice(0, 12)}-${encoder.modelId.replace(/[^\w.-]+/g, "_")}-schema-${hashClasses().slice(0, 8)}`;
  const dir = join(cacheRoot, key);
  mkdirSync(dir, { recursive: true });
  const releaseLock = takeLock(join(dir, "lock"));
  const marker = join(dir, "ingested.json");
  const firstRun = !existsSync(marker);
  say(firstRun
    ? `store: no finished ingest cached in ${dir}: ingesting the whole dump once (embeds every text: about 10 minutes for the dev split on 2 cores); later runs reuse it`
    : `store: reusing the cached store in ${dir} (ingested ${(JSON.parse(readFileSync(marker, "utf8")) as { at: string }).at}); checking it is up to date`);
  let weaviate: WeaviateHandle | undefined;
  try {
    weaviate = await openWeaviateAt(join(dir, "weaviate"), log);
    await applySchema(weaviate, log);
    const dump = createDumpSource(dataset);
    // A dump replays every recorded video and comment whatever count is asked, as in eval.
    const outcome = await createIngestRunner({ weaviate, encoder, log }).run(dump, dump.usernames(), { trigger: "bench-load", onProgress: (p) => progress(`ingest ${p.phase}`, p.done, p.total) });
    if (outcome.status !== "succeeded") throw new Error(`ingesting ${dataset} ended ${outcome.status}: ${outcome.counts.errors.slice(0, 5).join("; ")}`);
    writeFileSync(marker, `${JSON.stringify({ at: new Date().toISOString(), dataset, modelId: encoder.modelId, seconds: outcome.seconds, embedded: outcome.counts.embedded, written: outcome.counts.written }, null, 2)}\n`);
    const handle = weaviate;
    return {
      weaviate: handle,
      dir,
      firstRun,
      ingestSeconds: outcome.seconds,
      counts: outcome.counts,
      close: async () => {
        await handle.close();
        releaseLock();
      },
    };
  } catch (err) {
    await weaviate?.close();
    releaseLock();
    throw err;
  }
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
      if (holder > 0 && holder !== process.pid && alive(holder)) throw new Error(`${path} is held by process ${holder} (another bench:load on the same cached store); wait for it to finish`);
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
