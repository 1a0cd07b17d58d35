import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { Logger } from "../../platform/logger.js";
import { loadClassDefinitions } from "../class-schema.js";
import { collection, ourClass } from "../collections/typed-collections.js";
import type { WeaviateHandle } from "../weaviate-handle.js";
import { ErrorCode, ServiceError } from "../../platform/errors.js";

/**
 * Why a marker: weaviate-server v1.39 given a data folder whose raft/ folder is gone, or a class
 * whose shard folder is gone, starts "ready" with no classes or an empty class (checked live). We
 * would then re-create the schema and re-ingest the demo catalogue over the user's data. The marker
 * remembers what the folder held, so a start that finds less refuses instead.
 */
export const MARKER_FILE = ".tiktok-recs.json";

/** Classes the service itself deletes from (stale cohorts, uncurate); every other one only grows. */
const SHRINKING = new Set(["Cohort", "Curation"]);

const markerSchema = z.object({
  writtenAt: z.string(),
  reason: z.string(),
  counts: z.record(z.string(), z.number().int().min(0)),
});
type StoreMarker = z.infer<typeof markerSchema>;

const ourClasses = loadClassDefinitions()
  .map((d) => d.class)
  .sort();

/** Thrown at startup when the store holds fewer objects than its marker recorded. */
export class StoreDataLostError extends ServiceError {
  constructor(
    readonly dataDir: string,
    readonly problems: string[],
  ) {
    super(
      ErrorCode.StoreDataLost,
      `The Weaviate store in ${dataDir} holds less than it did; refusing to start rather than serve (or re-seed) an emptied store:\n` +
        `${problems.map((p) => `  - ${p}`).join("\n")}\n` +
        "This is what a damaged or removed raft/, schema.db or shard folder looks like. Stop, move the folder away, and restore a backup " +
        `into a fresh WEAVIATE_DATA_DIR (npm run backup -- restore --id <id>). If the loss is intended, delete ${join(dataDir, MARKER_FILE)} and start again.`,
    );
  }
}

export const markerPath = (dataDir: string) => join(dataDir, MARKER_FILE);

/** Records what the embedded store holds now (after ingestion, at clean shutdown); a no-op for an external Weaviate. */
export async function recordStoreContents(handle: WeaviateHandle, reason: string): Promise<void> {
  const dataDir = handle.embedded?.dataDir;
  if (!dataDir) return;
  const present = await classNames(handle);
  const counts: Record<string, number> = {};
  for (const name of ourClasses.filter((c) => present.has(c)))
    counts[name] = await countObjects(handle, name);
  const marker: StoreMarker = { writtenAt: new Date().toISOString(), reason, counts };
  const tmp = `${markerPath(dataDir)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(marker, null, 2)}\n`);
  renameSync(tmp, markerPath(dataDir)); // a crash mid-write leaves the previous marker whole
}

/** Same, for the shutdown and after-run paths, where a failure to record must not mask the real outcome. */
export async function tryRecordStoreContents(
  handle: WeaviateHandle,
  reason: string,
  log: Logger,
): Promise<void> {
  await recordStoreContents(handle, reason).catch((err: Error) =>
    log.warn("could not record the store's contents", { reason, error: err.message }),
  );
}

/**
 * At start: every class of ours must be readable, and, when the folder has a marker, hold at
 * least what the marker recorded (classes the service shrinks itself need only exist).
 */
export async function verifyStoreContents(handle: WeaviateHandle, dataDir: string): Promise<void> {
  const marker = readMarker(dataDir);
  const present = await classNames(handle);
  const problems: string[] = [];
  const now = new Map<string, number>();
  for (const name of ourClasses.filter((c) => present.has(c))) {
    try {
      now.set(name, await countObjects(handle, name));
    } catch (err) {
      problems.push(`${name}: Weaviate cannot read this class (${(err as Error).message.split("\n")[0]})`);
    }
  }
  for (const [name, recorded] of Object.entries(marker?.counts ?? {})) {
    if (recorded === 0) continue;
    const when = `held ${recorded} objects at ${marker!.writtenAt} (${marker!.reason})`;
    if (!present.has(name)) problems.push(`${name}: ${when}; the class is gone`);
    else if (now.has(name) && now.get(name)! < recorded && !SHRINKING.has(name))
      problems.push(`${name}: ${when}; now ${now.get(name)}`);
  }
  if (problems.length > 0) throw new StoreDataLostError(dataDir, problems);
}

function readMarker(dataDir: string): StoreMarker | undefined {
  const path = markerPath(dataDir);
  if (!existsSync(path)) return undefined;
  let parsed: ReturnType<typeof markerSchema.safeParse>;
  try {
    parsed = markerSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  } catch (err) {
    throw new StoreDataLostError(dataDir, [
      `${path} is not valid JSON (${(err as Error).message}); it is written by this service, so the folder itself may be damaged`,
    ]);
  }
  if (!parsed.success)
    throw new StoreDataLostError(dataDir, [
      `${path} is not a store marker: ${parsed.error.issues.map((i) => i.message).join("; ")}`,
    ]);
  return parsed.data;
}

async function classNames(handle: WeaviateHandle): Promise<Set<string>> {
  const res = await fetch(`${handle.restUrl}/v1/schema`, {
    headers: handle.headers,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`GET /v1/schema answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { classes?: { class: string }[] };
  return new Set((body.classes ?? []).map((c) => c.class));
}

async function countObjects(handle: WeaviateHandle, name: string): Promise<number> {
  const count = collection(handle, ourClass(name))
    .aggregate.overAll()
    .then((r) => r.totalCount);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`counting ${name} took over 10 s`)), 10_000)),
  );
  try {
    return await Promise.race([count, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
