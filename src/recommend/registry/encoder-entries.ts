import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ENCODER_NAMES, resolveEncoder, type EncoderChoice } from "../../embed/encoder-choice.js";
import { ENCODER_NAME } from "../../embed/model-files.js";
import { describeFile } from "./model-registry.js";
import type { ModelFile, ModelManifest } from "./model-manifest.js";

const hashed = new Map<string, Promise<ModelFile>>();

/** A file's hash, computed once per size and mtime: an encoder's ONNX is tens of MB. */
function describeOnce(path: string, name: string): Promise<ModelFile> {
  const { size, mtimeMs } = statSync(path);
  const key = `${path}\0${size}\0${mtimeMs}`;
  if (!hashed.has(key)) hashed.set(key, describeFile(path, name));
  return hashed.get(key)!;
}

/** Every EMBED_MODEL choice that names distinct files: MiniLM-L6's two precisions, then each other model. */
const CHOICES: EncoderChoice[] = ["q8", "fp32", ...ENCODER_NAMES.filter((n) => n !== ENCODER_NAME)];
const TOKENIZER_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"];

/**
 * The provisioned encoders as registry entries, one per model and precision present under
 * MODELS_DIR, listed in place (`root`: the files stay where provisioning put them; names are
 * relative to MODELS_DIR). Listed, not switched here: another encoder means re-embedding the store.
 */
export async function encoderEntries(modelsDir: string): Promise<(ModelManifest & { servedAs: string })[]> {
  const out: (ModelManifest & { servedAs: string })[] = [];
  for (const choice of CHOICES) {
    let resolved: ReturnType<typeof resolveEncoder>;
    try {
      resolved = resolveEncoder(modelsDir, choice);
    } catch {
      continue; // not provisioned
    }
    const tokenizerDir = join(modelsDir, resolved.tokenizerName);
    const provenancePath = [dirname(resolved.modelPath), dirname(dirname(resolved.modelPath)), tokenizerDir]
      .map((d) => join(d, "provenance.json"))
      .find((p) => existsSync(p));
    const provenance = provenancePath
      ? (JSON.parse(readFileSync(provenancePath, "utf8")) as { source?: string; at?: string })
      : {};
    const paths = [
      resolved.modelPath,
      ...TOKENIZER_FILES.map((f) => join(tokenizerDir, f)).filter((p) => existsSync(p)),
    ];
    out.push({
      kind: "encoder",
      id: resolved.modelId.replace(/[^A-Za-z0-9._@-]/g, "_"),
      servedAs: resolved.modelId,
      created: provenance.at ?? statSync(resolved.modelPath).mtime.toISOString(),
      trainedOn: `its publisher's pretraining (${resolved.name}, provisioned from ${provenance.source ?? "MODELS_DIR"})`,
      evaluation: {},
      files: await Promise.all(paths.map((p) => describeOnce(p, relative(modelsDir, p)))),
      root: modelsDir,
    });
  }
  return out;
}
