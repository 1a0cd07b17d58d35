import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Encoder } from "../../embed/encoder.js";
import type { Logger } from "../../platform/logger.js";
import { seededRandom } from "../../platform/seeded-random.js";
import { loadLearnedRanker } from "../../recommend/rank/learned-ranker.js";
import { FEATURES, readsVectors } from "../../recommend/rank/ranking-features.js";
import { applySchema } from "../../store/class-schema.js";
import { readStoreHistory } from "../../store/live-export.js";
import { openScratchWeaviate } from "../../store/scratch-weaviate.js";
import type { WeaviateHandle } from "../../store/weaviate-handle.js";
import { readCatalogue } from "../eval/catalogue.js";
import { ingestPast } from "../eval/ingest-past.js";
import { timeSplit } from "../eval/time-split.js";
import { userPartition } from "../eval/user-partition.js";
import { storedVectorEncoder, writeHistoryDump } from "./live-dump.js";
import { compareByKind, gateDecision, type KindFigures } from "./promotion-gate.js";
import { rankerScores } from "./row-scorers.js";
import { fitRankerAsync, type RankerManifest } from "./train-ranker.js";
import { trainingRows, type TrainingRow } from "./training-rows.js";

export interface LiveTrainingOptions {
  /** The live store: read, never written. */
  live: WeaviateHandle;
  /** The serving encoder's model id (content hashes), and the encoder for a text with no stored vector. */
  encoderModelId: string;
  fallbackEncoder?: Encoder;
  cacheDir: string;
  /** Users with a past and a held-out future needed before a run trains (RANKER_TRAINING_MIN_USERS). */
  minUsers: number;
  /** How much worse than serving, per negative kind, still passes (RANKER_PROMOTION_MARGIN). */
  margin: number;
  /** The serving model's scores for the held-out rows (its learned ranker, or the fixed blend). */
  servingScores(rows: TrainingRow[]): Promise<number[]>;
  /** Where the candidate's model.onnx and manifest.json go. */
  out: string;
  coldStart: { minComments: number; minMembers: number };
  /** The features the candidate may read; default: those without vectors, as train:ranker. */
  features?: string[];
  seed?: number;
  log: Logger;
}

export type LiveTrainingResult =
  | { kind: "skipped"; reason: string; eligibleUsers: number }
  | {
      kind: "trained";
      eligibleUsers: number;
      trainUsers: number;
      heldOutUsers: number;
      trainRows: number;
      heldOutRows: number;
      manifest: RankerManifest;
      figures: KindFigures[];
      promote: boolean;
      reason: string;
      seconds: Record<"read" | "ingest" | "rows" | "fit" | "gate", number>;
    };

/**
 * Trains a candidate ranker from the live store's own history with the evaluation's time split,
 * and gates it against the serving model on users held out from its training. The store's
 * history is written as a dump folder, so the split, the catalogue, the negatives and the past
 * ingestion are the dump path's own code; ingestion replays into a scratch Weaviate with the
 * stored vectors (nothing is embedded again) and only each user's comments from before their
 * split, so no feature sees the future it is scored on. Users split by the user partition: the
 * "train" half fits the candidate, the "evaluation" half decides whether it serves.
 */
export async function trainFromLiveStore(opts: LiveTrainingOptions): Promise<LiveTrainingResult> {
  const { log } = opts;
  const clock = stopwatch();
  const history = await readStoreHistory(opts.live);
  const work = mkdtempSync(join(tmpdir(), "ranker-live-"));
  try {
    const dump = join(work, "dump");
    await writeHistoryDump(history, dump);
    const read = clock();
    const split = timeSplit(dump);
    const catalogue = readCatalogue(dump);
    const known = new Set(catalogue.map((v) => v.videoId));
    const eligible = split.users.filter((u) => u.heldOutVideoIds.some((v) => known.has(v)));
    const train = eligible.filter((u) => userPartition(u.userId) === "train");
    const heldOut = eligible.filter((u) => userPartition(u.userId) === "evaluation");
    if (eligible.length < opts.minUsers || train.length === 0 || heldOut.length === 0)
      return {
        kind: "skipped",
        eligibleUsers: eligible.length,
        reason: `${eligible.length} users with a past and a held-out future (comments on 5 or more videos; ${train.length} train, ${heldOut.length} held out), ${opts.minUsers} needed (RANKER_TRAINING_MIN_USERS) and some in each half`,
      };
    const scratch = await openScratchWeaviate("ranker-live", log);
    try {
      await applySchema(scratch, log);
      const encoder = storedVectorEncoder(history, opts.encoderModelId, opts.fallbackEncoder);
      await ingestPast(dump, eligible, { weaviate: scratch, encoder, log }, () => {});
      const ingest = clock();
      const random = seededRandom(opts.seed ?? 7);
      const deps = { weaviate: scratch, coldStart: opts.coldStart };
      const trainRows = await trainingRows(deps, train, catalogue, 10, random, () => {});
      const heldRows = await trainingRows(deps, heldOut, catalogue, 10, random, () => {});
      const rows = clock();
      const chosen = opts.features ?? FEATURES.filter((f) => !readsVectors([f.name])).map((f) => f.name);
      const manifest = await fitRankerAsync(
        trainRows,
        opts.out,
        opts.cacheDir,
        log,
        {
          dataset: { name: "live store" },
          partition: "train",
          seed: opts.seed ?? 7,
          heldOutUsers: heldOut.length,
        },
        (name) => chosen.includes(name),
      );
      const fit = clock();
      const candidate = await loadLearnedRanker(opts.out);
      let candidateScores: number[];
      try {
        candidateScores = await rankerScores(candidate, heldRows);
      } finally {
        await candidate.dispose();
      }
      const figures = compareByKind(
        heldRows,
        candidateScores,
        await opts.servingScores(heldRows),
        opts.margin,
      );
      const { promote, reason } = gateDecision(figures, opts.margin);
      return {
        kind: "trained",
        eligibleUsers: eligible.length,
        trainUsers: train.length,
        heldOutUsers: heldOut.length,
        trainRows: trainRows.length,
        heldOutRows: heldRows.length,
        manifest,
        figures,
        promote,
        reason,
        seconds: { read, ingest, rows, fit, gate: clock() },
      };
    } finally {
      await scratch.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Seconds since the last call (the first: since it was made), to one decimal. */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const s = Math.round((now - last) / 100) / 10;
    last = now;
    return s;
  };
}
