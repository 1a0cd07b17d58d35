import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config/config.js";
import type { Logger } from "../logger.js";
import { openWeaviate, type WeaviateHandle } from "../store/weaviate-connection.js";

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
