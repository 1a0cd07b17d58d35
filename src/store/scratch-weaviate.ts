import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadConfig } from "../platform/config/config.js";
import type { Logger } from "../platform/logger.js";
import type { WeaviateHandle } from "./weaviate-handle.js";
import { openWeaviate } from "./client/weaviate-connection.js";

/** An embedded Weaviate on this data folder, whatever WEAVIATE_URL says: for benches, eval and training. */
export function openWeaviateAt(dataDir: string, log: Logger): Promise<WeaviateHandle> {
  const env: NodeJS.ProcessEnv = { ...process.env, WEAVIATE_DATA_DIR: dataDir };
  delete env.WEAVIATE_URL;
  return openWeaviate(loadConfig(env).weaviate, log);
}

/** A fresh embedded Weaviate in a throwaway folder, for benches, eval and training; close() also deletes its data. */
export async function openScratchWeaviate(prefix: string, log: Logger): Promise<WeaviateHandle> {
  const root = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const handle = await openWeaviateAt(join(root, "weaviate"), log);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * An embedded Weaviate on a folder that outlives the command (`--store DIR`), so a rerun skips the
 * embedding: ingestion writes only what changed. `purpose` (what was ingested, for whom) is
 * recorded in the folder, and a folder built for another purpose is refused rather than mixed.
 */
export async function openKeptWeaviate(
  dir: string,
  purpose: Record<string, unknown>,
  log: Logger,
): Promise<WeaviateHandle> {
  const root = resolve(dir);
  const marker = join(root, "store-purpose.json");
  const wanted = JSON.stringify(purpose);
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() !== wanted) {
    throw new Error(
      `--store ${root} holds a store built for ${readFileSync(marker, "utf8").trim()}, not ${wanted}: pass another folder`,
    );
  }
  mkdirSync(root, { recursive: true });
  writeFileSync(marker, `${wanted}\n`);
  return openWeaviateAt(join(root, "weaviate"), log);
}
