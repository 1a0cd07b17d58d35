import { existsSync } from "node:fs";
import type { Logger } from "../../platform/logger.js";
import { loadLearnedRanker, type LearnedRanker } from "./learned-ranker.js";

export interface RankerStatus {
  /** "learned" or "fixed blend". */
  kind: string;
  modelId?: string;
  /** Why the fixed blend ranks, when it does. */
  reason?: string;
}

/**
 * The learned ranker when RANKER_MODEL names a trained model, else the documented fixed blend.
 * A missing file is the normal state of a fresh clone (train with `npm run train:ranker`); a
 * model that is present but unusable (other features, broken file) is a startup error.
 */
export async function startRanker(
  setting: string,
  log: Logger,
): Promise<{ ranker?: LearnedRanker; status: RankerStatus }> {
  if (setting === "off") return { status: { kind: "fixed blend", reason: "RANKER_MODEL=off" } };
  if (!existsSync(setting)) {
    log.info("ranking with the fixed blend: no learned ranker", {
      path: setting,
      hint: "npm run train:ranker",
    });
    return { status: { kind: "fixed blend", reason: `no model at ${setting} (npm run train:ranker)` } };
  }
  const ranker = await loadLearnedRanker(setting);
  log.info("learned ranker ready", { modelId: ranker.modelId });
  return { ranker, status: { kind: "learned", modelId: ranker.modelId } };
}
