import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Logger } from "../platform/logger.js";
import { HUB_FILES, HUB_OPTIONAL_FILES, hubLayout } from "./hub-encoder-files.js";
import { sha256File } from "./provision-models.js";

interface HubProvenance {
  source: "hub" | "local";
  repo: string;
  endpoint?: string;
  files: Record<string, { sha256: string; bytes: number }>;
  at: string;
}

/**
 * Lays out a hub encoder (EMBED_MODEL=hub:<org>/<name>) under MODELS_DIR/hub__<org>__<name>/:
 * - "present": its files match the provenance a provisioning wrote;
 * - "local": the files were put there by hand (offline): their hashes are recorded as they are;
 * - "hub": downloaded from `endpoint` (HF_ENDPOINT), each file written whole or not at all.
 * A file changed since its provenance was written is refused, as is a repo without an ONNX export.
 * Whether the model fits the encoder contract (384-d, BERT inputs) is checked when it loads.
 */
export async function provisionHubEncoder(
  modelsDir: string,
  repo: string,
  endpoint: string,
  log: Logger,
): Promise<"present" | "local" | "hub"> {
  const layout = hubLayout(modelsDir, repo);
  const present = (f: string) => existsSync(join(layout.dir, f));
  if (existsSync(layout.provenance)) {
    const recorded = JSON.parse(readFileSync(layout.provenance, "utf8")) as HubProvenance;
    const changed = Object.entries(recorded.files).filter(
      ([f, { sha256 }]) => !present(f) || sha256File(join(layout.dir, f)) !== sha256,
    );
    if (changed.length === 0) return "present";
    throw new Error(
      `${repo} in ${layout.dir} differs from its provenance (${changed.map(([f]) => f).join(", ")} missing or changed): delete the folder and provision again`,
    );
  }
  if (HUB_FILES.every(present)) {
    record(layout.provenance, { source: "local", repo }, layout.dir);
    return "local";
  }
  log.info("downloading an encoder from the hub", { repo, endpoint });
  for (const file of [...HUB_FILES, ...HUB_OPTIONAL_FILES]) {
    const url = `${endpoint}/${repo}/resolve/main/${file}`;
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(600_000) });
    } catch (err) {
      throw new Error(
        `${url}: ${(err as Error).message} (the hub is unreachable). Offline, put ${repo}'s ${HUB_FILES.join(", ")} in ${layout.dir} and provision again`,
      );
    }
    if (res.status === 404 && (HUB_OPTIONAL_FILES as readonly string[]).includes(file)) continue;
    if (!res.ok)
      throw new Error(
        `${url} answered ${res.status}${file === "onnx/model.onnx" ? ": the repo has no ONNX export (onnx/model.onnx), which this service needs" : ""}`,
      );
    const target = join(layout.dir, file);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(`${target}.part`, Buffer.from(await res.arrayBuffer()));
    renameSync(`${target}.part`, target);
  }
  record(layout.provenance, { source: "hub", repo, endpoint }, layout.dir);
  return "hub";
}

function record(path: string, what: Pick<HubProvenance, "source" | "repo" | "endpoint">, dir: string): void {
  const files: HubProvenance["files"] = {};
  for (const f of [...HUB_FILES, ...HUB_OPTIONAL_FILES]) {
    const file = join(dir, f);
    if (existsSync(file)) files[f] = { sha256: sha256File(file), bytes: statSync(file).size };
  }
  const provenance: HubProvenance = { ...what, files, at: new Date().toISOString() };
  writeFileSync(path, `${JSON.stringify(provenance, null, 2)}\n`);
}
