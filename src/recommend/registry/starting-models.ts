import { existsSync } from "node:fs";
import type { LearnedRanker } from "../rank/learned-ranker.js";
import { resolveRerankModel } from "../rerank/rerank-model.js";
import { readActive, type ActiveModels } from "./active-models.js";
import { registerCrossEncoderFile, registerRankerFile } from "./configured-models.js";
import type { Loaded } from "./model-loaders.js";
import type { SwitchableKind } from "./model-manifest.js";
import { readEntry, type RegistryEntry } from "./model-registry.js";
import type { Config } from "../../platform/config/config.js";
import type { Logger } from "../../platform/logger.js";
import type { ProviderChoice } from "../../embed/execution-provider.js";
import type { CrossEncoder } from "../rerank/cross-encoder.js";
import type { RerankDeps } from "../rerank/rerank-stage.js";

export interface ServedRerank {
  encoder: CrossEncoder;
  deps: RerankDeps;
}

export interface ModelServingOptions {
  /** MODEL_REGISTRY_DIR. */
  registry: string;
  /** RANKER_MODEL: what serves while active.json names no ranker. */
  rankerSetting: string;
  /** RERANK_MODEL and the stage's settings. */
  rerank: Config["rerank"];
  modelsDir: string;
  /** The encoder's folder: the tokenizer of a cross-encoder that has none of its own. */
  encoderDir: string;
  provider: ProviderChoice;
  log: Logger;
}

interface Start<T> {
  id: string | null;
  model: T | undefined;
  history: (string | null)[];
  /** Why nothing serves, when nothing does. */
  reason?: string;
  /** RERANK_MODEL's id when it is missing (status says which model is absent). */
  configuredId?: string;
}

type LoadEntry = (kind: SwitchableKind, entry: RegistryEntry) => Promise<Loaded<unknown>>;

/**
 * What serves at startup, per kind: the choice recorded in active.json (an activation survives a
 * restart), else what RANKER_MODEL / RERANK_MODEL name, registered first so that it is listed and
 * can be rolled back to. A recorded choice that no longer loads is logged and the configured model
 * serves; a configured model that is present but unusable is a startup error, as before the registry.
 */
export async function startingModels(opts: ModelServingOptions, load: LoadEntry) {
  let active: ActiveModels = {};
  try {
    active = readActive(opts.registry);
  } catch (err) {
    opts.log.error("ignoring the recorded model choice", { error: (err as Error).message });
  }
  const ranker =
    (await recorded<LearnedRanker>("ranker", active, opts, load)) ?? (await configuredRanker(opts, load));
  const crossEncoder =
    (await recorded<ServedRerank>("cross-encoder", active, opts, load)) ??
    (await configuredCrossEncoder(opts, load));
  return { ranker, crossEncoder };
}

async function recorded<T>(
  kind: SwitchableKind,
  active: ActiveModels,
  opts: ModelServingOptions,
  load: LoadEntry,
): Promise<Start<T> | undefined> {
  const slot = active[kind];
  if (!slot) return undefined;
  if (slot.id === null)
    return {
      id: null,
      model: undefined,
      history: slot.history,
      reason: `none activated by ${slot.by} at ${slot.at}`,
    };
  let problem: string;
  try {
    const entry = readEntry(opts.registry, kind, slot.id);
    const loaded = entry ? await load(kind, entry) : undefined;
    if (loaded?.ok) return { id: slot.id, model: loaded.model as T, history: slot.history };
    problem = loaded ? `${loaded.code}: ${loaded.reason}` : "not in the registry";
  } catch (err) {
    problem = (err as Error).message;
  }
  opts.log.error("the recorded model does not load: serving the configured one", {
    model: kind,
    id: slot.id,
    problem,
  });
  return undefined;
}

async function adopt<T>(kind: SwitchableKind, entry: RegistryEntry, load: LoadEntry): Promise<Start<T>> {
  const loaded = await load(kind, entry);
  if (!loaded.ok)
    throw new Error(
      `the configured ${kind} (registered as ${entry.manifest.id}) is refused: ${loaded.code}: ${loaded.reason}`,
    );
  return { id: entry.manifest.id, model: loaded.model as T, history: [] };
}

async function configuredRanker(opts: ModelServingOptions, load: LoadEntry): Promise<Start<LearnedRanker>> {
  const setting = opts.rankerSetting;
  if (setting === "off") return { id: null, model: undefined, history: [], reason: "RANKER_MODEL=off" };
  if (!existsSync(setting)) {
    opts.log.info("ranking with the fixed blend: no learned ranker", {
      path: setting,
      hint: "npm run train:ranker",
    });
    return {
      id: null,
      model: undefined,
      history: [],
      reason: `no model at ${setting} (npm run train:ranker)`,
    };
  }
  return adopt("ranker", await registerRankerFile(opts.registry, setting), load);
}

async function configuredCrossEncoder(
  opts: ModelServingOptions,
  load: LoadEntry,
): Promise<Start<ServedRerank>> {
  const model = resolveRerankModel(opts.rerank.model, opts.modelsDir, opts.encoderDir);
  if (model.kind === "off") return { id: null, model: undefined, history: [], reason: model.reason };
  if (model.kind === "missing") {
    opts.log.warn("rerank off: cross-encoder not available", { reason: model.reason });
    return { id: null, model: undefined, history: [], reason: model.reason, configuredId: model.modelId };
  }
  return adopt(
    "cross-encoder",
    await registerCrossEncoderFile(opts.registry, model.modelPath, model.tokenizerDir),
    load,
  );
}
