import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { evaluationFigures } from "./model-manifest.js";
import { registerModel, type RegistryEntry } from "./model-registry.js";

/** Files beside a cross-encoder that its tokenizer needs; copied in when present. */
export const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

/** The trainer's manifest.json beside a model, or {} when it has none (a hand-made model). */
function trainerManifest(modelPath: string): Record<string, unknown> {
  const path = join(dirname(modelPath), "manifest.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : {};
}

/** In words, what a trainer's manifest says it was fitted on. */
function trainedOnOf(details: Record<string, unknown>, fallback: string): string {
  const dataset = details.dataset as { path?: string; dir?: string; name?: string } | string | undefined;
  const where = typeof dataset === "string" ? dataset : (dataset?.name ?? dataset?.path ?? dataset?.dir);
  const parts = [
    where && `dataset ${where}`,
    typeof details.partition === "string" && `${details.partition} partition`,
    typeof details.users === "number" && `${details.users} users`,
    typeof details.rows === "number" && `${details.rows} rows`,
    typeof details.pairs === "number" && `${details.pairs} pairs`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : fallback;
}

const createdOf = (details: Record<string, unknown>) =>
  String(details.trainedAt ?? details.exportedAt ?? new Date().toISOString());

/**
 * Registers a ranker that `npm run train:ranker` wrote: model.onnx with the trainer's manifest.json
 * beside it, and every other .onnx file of that folder (the pair scorer, when it reads pairScore):
 * the trainer's manifest plus the registry's fields.
 */
export function registerRankerFile(registry: string, modelPath: string) {
  const details = trainerManifest(modelPath);
  const siblings = readdirSync(dirname(modelPath))
    .filter((f) => f.endsWith(".onnx") && f !== basename(modelPath))
    .map((f) => ({ path: join(dirname(modelPath), f) }));
  return registerModel(registry, {
    kind: "ranker",
    files: [{ path: modelPath, name: "model.onnx" }, ...siblings],
    created: createdOf(details),
    trainedOn: trainedOnOf(details, `registered from ${modelPath}`),
    evaluation: evaluationFigures(details, ["validationMeanUserAuc", "validationByKind"]),
    details,
  });
}

/** Registers a cross-encoder .onnx with the tokenizer it is served with (its own, else the encoder's). */
export function registerCrossEncoderFile(
  registry: string,
  modelPath: string,
  tokenizerDir: string,
): Promise<RegistryEntry> {
  const details = trainerManifest(modelPath);
  return registerModel(registry, {
    kind: "cross-encoder",
    files: [
      { path: modelPath, name: "model.onnx" },
      ...TOKENIZER_FILES.map((f) => ({ path: join(tokenizerDir, f) })).filter((f) => existsSync(f.path)),
    ],
    created: createdOf(details),
    trainedOn: trainedOnOf(details, `registered from ${modelPath}`),
    evaluation: evaluationFigures(details, ["validation", "before"]),
    details,
  });
}
