import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config/config.js";
import type { Logger } from "../logger.js";
import { openWeaviate, type WeaviateHandle } from "../store/weaviate-connection.js";

/** A fresh embedded Weaviate in a throwaway folder, for benches, eval and training; close() also deletes its data. */
export async function openScratchWeaviate(prefix: string, log: Logger): Promise<WeaviateHandle> {
  const root = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, WEAVIATE_DATA_DIR: join(root, "weaviate") };
  delete env.WEAVIATE_URL;
  const handle = await openWeaviate(loadConfig(env).weaviate, log);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
