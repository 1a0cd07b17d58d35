import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ENCODER_NAME, MAX_TOKENS, modelId, modelLayout, type ModelVariant } from "./model-files.js";
import {
  hubLayout,
  hubMaxTokens,
  hubModelId,
  HUB_PREFIX,
  isHubChoice,
  type HubChoice,
} from "./hub-encoder-files.js";
import { L3_MAX_TOKENS, L3_NAME, l3Layout, l3ModelId } from "./paraphrase-l3-files.js";

/** The folder under MODELS_DIR that `npm run train:encoder` writes: MiniLM-L6 fine-tuned on our own pairs. */
export const FINETUNED_NAME = "minilm-finetuned";
/** The packaged encoders (provisioned everywhere; the fine-tuned one exists only once trained). */
export const ENCODER_NAMES = [ENCODER_NAME, L3_NAME] as const;
export type EncoderName = (typeof ENCODER_NAMES)[number];

/**
 * What EMBED_MODEL may say: auto, q8 and fp32 are all-MiniLM-L6-v2's variants (as before a second
 * model existed); a model's name picks that model (all-MiniLM-L6-v2 by name means auto).
 */
export type EncoderChoice = ModelVariant | "auto" | EncoderName | typeof FINETUNED_NAME | HubChoice;

export interface ResolvedEncoder {
  name: EncoderName | typeof FINETUNED_NAME | HubChoice;
  /** Names the weights and precision: part of every content hash. */
  modelId: string;
  modelPath: string;
  /** The folder under MODELS_DIR that @huggingface/transformers loads the tokenizer from. */
  tokenizerName: string;
  maxTokens: number;
}

/** Resolves a choice to its files; a model that is not provisioned fails with the command that provisions it. */
export function resolveEncoder(modelsDir: string, choice: EncoderChoice = "auto"): ResolvedEncoder {
  if (choice === FINETUNED_NAME) return resolveFineTuned(modelsDir);
  if (isHubChoice(choice)) return resolveHub(modelsDir, choice);
  if (choice === L3_NAME) {
    const modelPath = l3Layout(modelsDir).onnx;
    if (!existsSync(modelPath))
      throw new Error(
        `Encoder model missing: ${modelPath}. Run \`npm run provision\` (it lays out ${L3_NAME}).`,
      );
    return {
      name: L3_NAME,
      modelId: l3ModelId(),
      modelPath,
      tokenizerName: L3_NAME,
      maxTokens: L3_MAX_TOKENS,
    };
  }
  const layout = modelLayout(modelsDir);
  const wanted = choice === ENCODER_NAME ? "auto" : choice;
  const variant: ModelVariant = wanted === "auto" ? (existsSync(layout.onnx.fp32) ? "fp32" : "q8") : wanted;
  const modelPath = layout.onnx[variant];
  if (!existsSync(modelPath)) {
    throw new Error(
      `Encoder model missing: ${modelPath}. Run \`npm run provision\`${variant === "fp32" ? " with EMBED_MODEL=fp32" : ""}.`,
    );
  }
  return {
    name: ENCODER_NAME,
    modelId: modelId(variant),
    modelPath,
    tokenizerName: ENCODER_NAME,
    maxTokens: MAX_TOKENS,
  };
}

/**
 * The fine-tuned MiniLM-L6 laid out like all-MiniLM-L6-v2 (onnx/model.onnx, tokenizer, manifest.json).
 * Its modelId (minilm-finetuned-<ONNX hash>@onnx-fp32, from the manifest) puts the hash in the
 * family (encoderFamily), so each training run's vectors are their own: a new run re-embeds,
 * never mixes spaces.
 */
function resolveFineTuned(modelsDir: string): ResolvedEncoder {
  const dir = join(modelsDir, FINETUNED_NAME);
  const modelPath = join(dir, "onnx", "model.onnx");
  const manifest = join(dir, "manifest.json");
  if (!existsSync(modelPath) || !existsSync(manifest))
    throw new Error(
      `Encoder model missing: ${modelPath} (with manifest.json). Run \`npm run train:encoder\` (it writes ${dir}).`,
    );
  const { modelId: id } = JSON.parse(readFileSync(manifest, "utf8")) as { modelId?: string };
  if (!id) throw new Error(`${manifest} has no modelId: re-export it with npm run train:encoder`);
  return {
    name: FINETUNED_NAME,
    modelId: id,
    modelPath,
    tokenizerName: FINETUNED_NAME,
    maxTokens: MAX_TOKENS,
  };
}

/** A hub model provisioned under MODELS_DIR/hub__<org>__<name>/ (or put there by hand, offline). */
function resolveHub(modelsDir: string, choice: HubChoice): ResolvedEncoder {
  const repo = choice.slice(HUB_PREFIX.length);
  const layout = hubLayout(modelsDir, repo);
  if (!existsSync(layout.onnx))
    throw new Error(
      `Encoder model missing: ${layout.onnx}. Run \`EMBED_MODEL=${choice} npm run provision\` (it downloads ${repo} from the hub), or, offline, put the repo's onnx/model.onnx and tokenizer files in ${layout.dir}.`,
    );
  return {
    name: choice,
    modelId: hubModelId(repo),
    modelPath: layout.onnx,
    tokenizerName: layout.tokenizerName,
    maxTokens: hubMaxTokens(layout.dir),
  };
}

/**
 * The model a modelId belongs to, precision aside: q8 and fp32 MiniLM-L6 vectors share one space
 * (cosine > 0.996), two different models' do not.
 */
export const encoderFamily = (id: string) => id.replace(/@.*$/, "");
