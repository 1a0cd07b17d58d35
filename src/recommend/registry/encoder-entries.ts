import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { modelId, modelLayout, type ModelVariant } from "../../embed/model-files.js";
import { describeFile } from "./model-registry.js";
import type { ModelFile, ModelManifest } from "./model-manifest.js";

const hashed = new Map<string, Promise<ModelFile>>();

/** A file's hash, computed once per size and mtime: the encoder's ONNX is tens of MB. */
function describeOnce(path: string, name: string): Promise<ModelFile> {
  const { size, mtimeMs } = statSync(path);
  const key = `${path}\0${size}\0${mtimeMs}`;
  if (!hashed.has(key)) hashed.set(key, describeFile(path, name));
  return hashed.get(key)!;
}

/**
 * The provisioned encoder as registry entries, one per ONNX variant present under MODELS_DIR,
 * listed in place (`root`: its files stay where provisioning put them). Listed, not switched:
 * changing the encoder re-embeds the store, which is the encoder-generation work.
 */
export async function encoderEntries(modelsDir: string): Promise<ModelManifest[]> {
  const layout = modelLayout(modelsDir);
  const shared = [layout.config, layout.tokenizer, layout.tokenizerConfig, layout.specialTokens];
  const provenancePath = join(layout.dir, "provenance.json");
  const provenance = existsSync(provenancePath)
    ? (JSON.parse(readFileSync(provenancePath, "utf8")) as { source?: string; at?: string })
    : {};
  const out: ModelManifest[] = [];
  for (const [variant, onnx] of Object.entries(layout.onnx) as [ModelVariant, string][]) {
    if (!existsSync(onnx)) continue;
    const paths = [onnx, ...shared.filter((p) => existsSync(p))];
    out.push({
      kind: "encoder",
      id: modelId(variant).replace(/[^A-Za-z0-9._@-]/g, "_"),
      servedAs: modelId(variant),
      created: provenance.at ?? statSync(onnx).mtime.toISOString(),
      trainedOn: `sentence-transformers' pretraining of ${basename(layout.dir)} (provisioned from ${provenance.source ?? "MODELS_DIR"})`,
      evaluation: {},
      files: await Promise.all(paths.map((p) => describeOnce(p, relative(layout.dir, p)))),
      root: layout.dir,
    });
  }
  return out;
}
