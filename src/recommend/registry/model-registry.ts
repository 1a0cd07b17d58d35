import { createHash } from "node:crypto";
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { modelManifestSchema, type ModelFile, type ModelKind, type ModelManifest } from "./model-manifest.js";

/**
 * The registry on disk: `<MODEL_REGISTRY_DIR>/<kind>/<id>/` holds manifest.json and the model's
 * files (copied in, so retraining into models/ranker/ never changes a registered model), and
 * `active.json` at the top says which ranker and cross-encoder serve.
 */
export interface RegistryEntry {
  manifest: ModelManifest;
  /** The folder of manifest.json. */
  dir: string;
  /** Where its files lie: `root` when the manifest names one, else `dir`. */
  filesDir: string;
}

export const entryDir = (registry: string, kind: ModelKind, id: string) => join(registry, kind, id);

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export async function describeFile(path: string, name = basename(path)): Promise<ModelFile> {
  return { name, sha256: await sha256File(path), bytes: statSync(path).size };
}

/** One entry; undefined when there is no such folder, an error when its manifest is not valid. */
export function readEntry(registry: string, kind: ModelKind, id: string): RegistryEntry | undefined {
  const dir = entryDir(registry, kind, id);
  const path = join(dir, "manifest.json");
  if (!existsSync(path)) return undefined;
  const parsed = modelManifestSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success)
    throw new Error(
      `${path} is not a registry manifest: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const manifest = parsed.data;
  if (manifest.kind !== kind || manifest.id !== id)
    throw new Error(`${path} says ${manifest.kind}/${manifest.id}, its folder ${kind}/${id}`);
  return { manifest, dir, filesDir: manifest.root ?? dir };
}

/** Every readable entry of a kind, newest first; unreadable ones are returned as problems, not thrown. */
export function listEntries(
  registry: string,
  kind: ModelKind,
): { entries: RegistryEntry[]; problems: string[] } {
  const root = join(registry, kind);
  const entries: RegistryEntry[] = [];
  const problems: string[] = [];
  if (!existsSync(root)) return { entries, problems };
  for (const id of readdirSync(root).filter((n) => !n.startsWith("."))) {
    try {
      const entry = readEntry(registry, kind, id);
      if (entry) entries.push(entry);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  entries.sort((a, b) => b.manifest.created.localeCompare(a.manifest.created));
  return { entries, problems };
}

/** The files that are missing or differ from the manifest's hashes, in words; empty when all match. */
export async function fileMismatches(entry: RegistryEntry): Promise<string[]> {
  const out: string[] = [];
  for (const file of entry.manifest.files) {
    const path = join(entry.filesDir, file.name);
    if (!existsSync(path)) {
      out.push(`${file.name} is missing (${path})`);
      continue;
    }
    const actual = await sha256File(path);
    if (actual !== file.sha256)
      out.push(`${file.name} has sha256 ${actual}, its manifest says ${file.sha256}`);
  }
  return out;
}

export interface Registration {
  kind: ModelKind;
  /** Absolute paths of the files to copy in, named by their basename (unless `name` is given). */
  files: { path: string; name?: string }[];
  created: string;
  trainedOn: string;
  evaluation: Record<string, number>;
  /** The trainer's own manifest fields, kept at the top level of manifest.json. */
  details?: Record<string, unknown>;
  /** Default: `<created as yyyymmddThhmmss>-<first 8 hex of the first file's sha256>`. */
  id?: string;
}

/**
 * Copies the files into a new entry and writes its manifest. Idempotent: a model whose first file
 * has the same sha256 as an entry of its kind is that entry (training the same rows twice, or
 * every replica adopting the configured model at startup). Written to a temporary folder and
 * renamed, so a reader never sees half an entry.
 */
export async function registerModel(registry: string, reg: Registration): Promise<RegistryEntry> {
  const described = await Promise.all(reg.files.map((f) => describeFile(f.path, f.name)));
  const same = listEntries(registry, reg.kind).entries.find(
    (e) => e.manifest.files[0]?.sha256 === described[0]!.sha256,
  );
  if (same) return same;
  const id = reg.id ?? `${reg.created.replace(/[-:]/g, "").slice(0, 15)}-${described[0]!.sha256.slice(0, 8)}`;
  const manifest = modelManifestSchema.parse({
    ...reg.details,
    kind: reg.kind,
    id,
    created: reg.created,
    trainedOn: reg.trainedOn,
    evaluation: reg.evaluation,
    files: described,
  });
  const target = entryDir(registry, reg.kind, id);
  if (existsSync(target)) throw new Error(`registry entry ${reg.kind}/${id} exists with other files`);
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  reg.files.forEach((f, i) => copyFileSync(f.path, join(partial, described[i]!.name)));
  writeFileSync(join(partial, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  try {
    renameSync(partial, target);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    const raced = readEntry(registry, reg.kind, id); // another process registered it first
    if (raced) return raced;
    throw err;
  }
  return { manifest, dir: target, filesDir: target };
}
