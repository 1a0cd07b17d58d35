import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Any sentence-transformers model on the Hugging Face hub that ships an ONNX export
 * (`onnx/model.onnx`, as sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2 does) and
 * gives 384-d vectors: EMBED_MODEL=hub:<org>/<name>. `npm run provision` downloads it; offline, the
 * same files put in its folder by hand serve as well (docs/encoder.md#any-hub-model).
 */
export const HUB_PREFIX = "hub:";
export type HubChoice = `hub:${string}`;

/** An org/name repo id: letters, digits, dot, dash and underscore, one slash. */
export const HUB_REPO = /^[\w.-]+\/[\w.-]+$/;

export const isHubChoice = (choice: string): choice is HubChoice =>
  choice.startsWith(HUB_PREFIX) && HUB_REPO.test(choice.slice(HUB_PREFIX.length));

/** The files a hub encoder needs (the model and its tokenizer), and those used when present. */
export const HUB_FILES = ["onnx/model.onnx", "tokenizer.json", "tokenizer_config.json"] as const;
export const HUB_OPTIONAL_FILES = [
  "special_tokens_map.json",
  "sentence_bert_config.json",
  "config.json",
] as const;

/**
 * Where the repo's files live: MODELS_DIR/hub__<org>__<name>/, laid out as on the hub. One flat
 * folder: @huggingface/transformers 4.3 loads no local tokenizer from a nested path, nor from some
 * names with "--" in them (seen: "hub--t--lx" fails where "hub--a--b" loads).
 */
export function hubLayout(modelsDir: string, repo: string) {
  const relative = `hub__${repo.replace("/", "__")}`;
  const dir = join(modelsDir, relative);
  return {
    dir,
    /** The folder @huggingface/transformers loads the tokenizer from, relative to MODELS_DIR. */
    tokenizerName: relative,
    onnx: join(dir, "onnx", "model.onnx"),
    provenance: join(dir, "provenance.json"),
  };
}

export const hubModelId = (repo: string) => `${repo}@onnx-fp32`;

/** The model's own cut (sentence_bert_config.json max_seq_length), else 128 like the paraphrase models. */
export function hubMaxTokens(dir: string): number {
  const file = join(dir, "sentence_bert_config.json");
  if (!existsSync(file)) return 128;
  const cut = (JSON.parse(readFileSync(file, "utf8")) as { max_seq_length?: unknown }).max_seq_length;
  return typeof cut === "number" && cut > 0 ? Math.min(cut, 512) : 128;
}
