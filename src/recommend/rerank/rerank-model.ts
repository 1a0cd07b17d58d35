import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Logger } from "../../platform/logger.js";

/** The hub's cross-encoder, the default when online; ms-marco MiniLM uses the uncased BERT vocabulary our encoder has. */
export const HUB_CROSS_ENCODER = "cross-encoder/ms-marco-MiniLM-L-6-v2";
const HUB_FILES = ["onnx/model.onnx", "tokenizer.json", "tokenizer_config.json"];

export type RerankModel =
  | { kind: "off"; reason: string }
  | { kind: "ready"; modelId: string; modelPath: string; tokenizerDir: string }
  | { kind: "missing"; modelId: string; reason: string };

/**
 * What RERANK_MODEL names: "off", a local .onnx file (its tokenizer.json beside it or one folder
 * up, as the hub lays them out, else the encoder's), or a hub id provisioned under MODELS_DIR.
 */
export function resolveRerankModel(
  setting: string,
  modelsDir: string,
  fallbackTokenizerDir: string,
): RerankModel {
  if (setting === "off") return { kind: "off", reason: "RERANK_MODEL=off" };
  if (setting.endsWith(".onnx")) {
    if (!existsSync(setting))
      return { kind: "missing", modelId: setting, reason: `RERANK_MODEL file not found: ${setting}` };
    const own = [dirname(setting), dirname(dirname(setting))].find((d) =>
      existsSync(join(d, "tokenizer.json")),
    );
    return {
      kind: "ready",
      modelId: `file:${basename(setting)}`,
      modelPath: setting,
      tokenizerDir: own ?? fallbackTokenizerDir,
    };
  }
  const dir = join(modelsDir, setting);
  const modelPath = join(dir, "onnx", "model.onnx");
  if (!existsSync(modelPath) || !existsSync(join(dir, "tokenizer.json"))) {
    return {
      kind: "missing",
      modelId: setting,
      reason: `${setting} is not provisioned (the hub was unreachable at \`npm run provision\`); set RERANK_MODEL to a local .onnx cross-encoder, or "off"`,
    };
  }
  return { kind: "ready", modelId: setting, modelPath, tokenizerDir: dir };
}

/** Downloads a hub cross-encoder's ONNX and tokenizer when online; offline it says so and returns. */
export async function provisionHubCrossEncoder(
  setting: string,
  modelsDir: string,
  log: Logger,
  timeoutMs = 20_000,
): Promise<"present" | "downloaded" | "unreachable" | "not a hub id"> {
  if (setting === "off" || setting.endsWith(".onnx")) return "not a hub id";
  const dir = join(modelsDir, setting);
  if (HUB_FILES.every((f) => existsSync(join(dir, f)))) return "present";
  try {
    for (const file of HUB_FILES) {
      const target = join(dir, file);
      if (existsSync(target)) continue;
      const res = await fetch(`https://huggingface.co/${setting}/resolve/main/${file}`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`${file}: HTTP ${res.status}`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(`${target}.partial`, Buffer.from(await res.arrayBuffer()));
      renameSync(`${target}.partial`, target);
    }
    return "downloaded";
  } catch (err) {
    log.warn("cross-encoder not downloaded: rerank stays off until RERANK_MODEL names a local .onnx", {
      model: setting,
      error: (err as Error).message,
    });
    return "unreachable";
  }
}
