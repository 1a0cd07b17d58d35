import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "../../platform/config/config.js";
import { REPO_ROOT } from "../../platform/paths.js";
import { createEncoder, type Encoder } from "../../embed/encoder.js";
import { readCatalogue, type CatalogueVideo } from "../eval/catalogue.js";
import { ingestPast } from "../eval/ingest-past.js";
import { timeSplit, type HeldOut } from "../eval/time-split.js";
import { userPartition } from "../eval/user-partition.js";
import type { Logger } from "../../platform/logger.js";
import { applySchema } from "../../store/class-schema.js";
import type { WeaviateHandle } from "../../store/weaviate-handle.js";
import { phaseProgress } from "../../platform/progress.js";
import { openKeptWeaviate, openScratchWeaviate } from "../../store/scratch-weaviate.js";

export const DEFAULT_DATASET = join(REPO_ROOT, "..", "shared", "datasets", "tiktok-nesc-dev");

/** The flags both training commands take for the store they train from (parseArgs options). */
export const TRAINING_STORE_OPTIONS = {
  dataset: { type: "string", default: DEFAULT_DATASET },
  users: { type: "string" },
  store: { type: "string" },
  seed: { type: "string", default: "7" },
} as const;

export interface TrainingStore {
  dataset: string;
  /** The dataset's manifest.json when it has one, else its path: recorded in model manifests. */
  datasetInfo: unknown;
  users: HeldOut[];
  catalogue: CatalogueVideo[];
  weaviate: WeaviateHandle;
  ingestSeconds: number;
  progress: ReturnType<typeof phaseProgress>;
  close(): Promise<void>;
}

/**
 * What both training commands start from: the evaluation's time split on the "train" half of the
 * users (src/offline/eval/user-partition.ts), their past ingested into a fresh embedded Weaviate through
 * the real pipeline (kept in `storeDir` when given, so a rerun skips the embedding). A dataset
 * that is not a TikLiveAPI dump exits with a clear message.
 */
export async function openTrainingStore(
  command: string,
  datasetArg: string,
  userLimit: number | undefined,
  storeDir: string | undefined,
  config: Config,
  log: Logger,
): Promise<TrainingStore> {
  const dataset = resolve(datasetArg);
  if (!existsSync(join(dataset, "posts")) || !existsSync(join(dataset, "comments"))) {
    console.error(
      `${command}: ${dataset} is not a TikLiveAPI dump with posts/ and comments/ (pass --dataset <dir>)`,
    );
    process.exit(2);
  }
  const split = timeSplit(dataset);
  const catalogue = readCatalogue(dataset);
  const known = new Set(catalogue.map((v) => v.videoId));
  let users = split.users.filter(
    (u) => userPartition(u.userId) === "train" && u.heldOutVideoIds.some((v) => known.has(v)),
  );
  if (userLimit !== undefined) users = users.slice(0, userLimit);
  console.log(`${command}: ${users.length} train-half users of ${split.users.length} eligible`);

  const purpose = { dataset, partition: "train", encoder: config.models.variant };
  const weaviate = storeDir
    ? await openKeptWeaviate(storeDir, purpose, log)
    : await openScratchWeaviate(command.replace(/\W+/g, "-"), log);
  let encoder: Encoder | undefined;
  try {
    encoder = await createEncoder({ modelsDir: config.models.dir, ...config.models });
    await applySchema(weaviate, log);
    const progress = phaseProgress(command);
    const ingestSeconds = await ingestPast(dataset, users, { weaviate, encoder, log }, progress);
    const datasetInfo = existsSync(join(dataset, "manifest.json"))
      ? JSON.parse(readFileSync(join(dataset, "manifest.json"), "utf8"))
      : dataset;
    return {
      dataset,
      datasetInfo,
      users,
      catalogue,
      weaviate,
      ingestSeconds,
      progress,
      close: () => weaviate.close(),
    };
  } catch (err) {
    await weaviate.close();
    throw err;
  } finally {
    await encoder?.dispose();
  }
}
