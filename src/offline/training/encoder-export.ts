import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { createEncoder, type Encoder } from "../../embed/encoder.js";
import { FINETUNED_NAME } from "../../embed/encoder-choice.js";
import { REPO_ROOT } from "../../platform/paths.js";
import type { Logger } from "../../platform/logger.js";
import { exportVenvPython, runPython } from "../../platform/python-venv.js";

/** Exact trainer embeddings of a few texts (tools/train_encoder.py's probe), for the parity check. */
export type EncoderProbe = { text: string; embedding: number[] }[];

export interface Parity {
  texts: number;
  minCosine: number;
  maxAbsDiff: number;
}

/** The export passes when our encoder reproduces the trainer's vectors this closely. */
export const PARITY = { minCosine: 0.9999, maxAbsDiff: 1e-3 } as const;

const CHECKPOINT_FILES = ["config.json", "model.safetensors", "tokenizer.json"];
const TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

export interface StagedEncoder {
  /** The exported model loaded by the serving encoder (createEncoder), from the staging folder. */
  encoder: Encoder;
  modelId: string;
  parity: Parity;
  /** Writes manifest.json and moves the folder to `out` (last, so no reader sees half a model). */
  publish(manifest: Record<string, unknown>): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Exports a BERT checkpoint (config.json + model.safetensors + tokenizer) to fp32 ONNX with
 * tools/export_fp32_onnx.py (no torch), laid out like all-MiniLM-L6-v2 in a staging folder beside
 * `out`, and loads it through createEncoder, so the encoder contract is checked as serving checks
 * it. Its vectors must match the probe's (PARITY) or the staging folder is removed and this throws.
 */
export async function stageEncoder(
  checkpointDir: string,
  out: string,
  probe: EncoderProbe,
  cacheDir: string,
  log: Logger,
): Promise<StagedEncoder> {
  for (const file of CHECKPOINT_FILES)
    if (!existsSync(join(checkpointDir, file)))
      throw new Error(`${checkpointDir} has no ${file}: not a checkpoint from tools/train_encoder.py`);
  if (probe.length === 0) throw new Error("no probe embeddings to check the export against");
  const stageRoot = join(dirname(out), ".partial-train-encoder");
  const stage = join(stageRoot, FINETUNED_NAME);
  rmSync(stageRoot, { recursive: true, force: true });
  mkdirSync(join(stage, "onnx"), { recursive: true });
  const onnx = join(stage, "onnx", "model.onnx");
  const discardStage = () => rmSync(stageRoot, { recursive: true, force: true });
  let encoder: Encoder | undefined;
  try {
    const python = exportVenvPython(cacheDir, log);
    runPython(python, [
      join(REPO_ROOT, "tools", "export_fp32_onnx.py"),
      "--model-dir",
      checkpointDir,
      "--out",
      onnx,
    ]);
    for (const file of ["config.json", ...TOKENIZER_FILES])
      if (existsSync(join(checkpointDir, file))) copyFileSync(join(checkpointDir, file), join(stage, file));
    const hash = createHash("sha256").update(readFileSync(onnx)).digest("hex");
    // The hash goes before the "@": encoderFamily keeps it, so each run's vectors are their own family.
    const modelId = `${FINETUNED_NAME}-${hash.slice(0, 12)}@onnx-fp32`;
    const writeManifest = (extra: Record<string, unknown>) =>
      writeFileSync(
        join(stage, "manifest.json"),
        `${JSON.stringify({ modelId, onnxSha256: hash, ...extra }, null, 2)}\n`,
      );
    writeManifest({});
    encoder = await createEncoder({ modelsDir: stageRoot, variant: FINETUNED_NAME });
    const parity = await probeParity(encoder, probe);
    if (!(parity.minCosine >= PARITY.minCosine && parity.maxAbsDiff <= PARITY.maxAbsDiff))
      throw new Error(
        `the exported encoder's vectors differ from the trainer's (min cosine ${parity.minCosine}, max abs diff ${parity.maxAbsDiff}; need >= ${PARITY.minCosine} and <= ${PARITY.maxAbsDiff}): not writing ${out}`,
      );
    const staged = encoder;
    return {
      encoder: staged,
      modelId,
      parity,
      async publish(manifest) {
        await staged.dispose();
        writeManifest({ ...manifest, parity, parityTolerance: PARITY });
        rmSync(out, { recursive: true, force: true });
        renameSync(stage, out);
        discardStage();
      },
      async discard() {
        await staged.dispose();
        discardStage();
      },
    };
  } catch (err) {
    await encoder?.dispose();
    discardStage();
    throw err;
  }
}

async function probeParity(encoder: Encoder, probe: EncoderProbe): Promise<Parity> {
  const vectors = await encoder.embed(probe.map((p) => p.text));
  let minCosine = 1;
  let maxAbsDiff = 0;
  for (const [i, p] of probe.entries()) {
    const v = vectors[i]!;
    let dot = 0;
    let norm = 0;
    for (let k = 0; k < v.length; k++) {
      dot += v[k]! * p.embedding[k]!;
      norm += p.embedding[k]! ** 2;
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v[k]! - p.embedding[k]!));
    }
    minCosine = Math.min(minCosine, dot / Math.sqrt(norm)); // ours is L2-normalised
  }
  return {
    texts: probe.length,
    minCosine: round(minCosine, 7),
    maxAbsDiff: Number(maxAbsDiff.toExponential(3)),
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
