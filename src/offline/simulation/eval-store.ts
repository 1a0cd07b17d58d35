import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Encoder } from "../../embed/encoder.js";
import type { Logger } from "../../platform/logger.js";
import { applySchema } from "../../store/class-schema.js";
import { openKeptWeaviate } from "../../store/scratch-weaviate.js";
import { readCatalogue } from "../eval/catalogue.js";
import { ingestPast } from "../eval/ingest-past.js";
import { timeSplit, type HeldOut } from "../eval/time-split.js";
import { userPartition } from "../eval/user-partition.js";

/** The evaluation half as the offline evaluation picks it: eval-partition users with a held-out video in the catalogue. */
export function evaluationUsers(dataset: string): HeldOut[] {
  const catalogue = new Set(readCatalogue(dataset).map((v) => v.videoId));
  return timeSplit(dataset).users.filter(
    (u) => userPartition(u.userId) === "evaluation" && u.heldOutVideoIds.some((v) => catalogue.has(v)),
  );
}

/** Written once every evaluation user's past is in the store, so a rerun skips even the ingest's reads. */
const COMPLETE = "simulation-past-complete.json";

/**
 * Makes sure `dir` holds the kept store `npm run eval -- --store DIR` builds (same purpose marker,
 * same ingestion, every evaluation user): ingests when the completion marker is missing. The
 * server is closed again before returning, so the caller may copy the data folder.
 */
export async function ensureEvalStore(
  dataset: string,
  dir: string,
  deps: { encoder: () => Promise<Encoder>; encoderVariant: string; log: Logger },
  progress: (phase: string, done: number, total: number) => void,
): Promise<{ dataDir: string; ingestSeconds: number }> {
  const root = resolve(dir);
  const dataDir = join(root, "weaviate");
  if (existsSync(join(root, COMPLETE))) return { dataDir, ingestSeconds: 0 };
  const users = evaluationUsers(dataset);
  const weaviate = await openKeptWeaviate(
    root,
    { dataset, partition: "evaluation", encoder: deps.encoderVariant },
    deps.log,
  );
  const encoder = await deps.encoder();
  try {
    await applySchema(weaviate, deps.log);
    const ingestSeconds = await ingestPast(dataset, users, { weaviate, encoder, log: deps.log }, progress);
    writeFileSync(join(root, COMPLETE), `${JSON.stringify({ users: users.length, ingestSeconds })}\n`);
    return { dataDir, ingestSeconds };
  } finally {
    await encoder.dispose();
    await weaviate.close();
  }
}

/**
 * A throwaway copy of a kept store's data folder: the simulation's clicks write to Weaviate, and
 * the kept store must stay the users' past. Copy only while no server runs on `dataDir`.
 */
export function scratchCopy(dataDir: string): { dataDir: string; dispose: () => void } {
  const root = mkdtempSync(join(tmpdir(), "sim-weaviate-"));
  const copy = join(root, "weaviate");
  cpSync(dataDir, copy, { recursive: true });
  return { dataDir: copy, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
