import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { applySchema } from "../../src/store/class-schema.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";
import { openWeaviate } from "../../src/store/client/weaviate-connection.js";

export interface TestWeaviate extends WeaviateHandle {
  dataDir: string;
  /** Stops the server and deletes its data. */
  dispose(): Promise<void>;
}

/** A real embedded weaviate-server on free ports with a throwaway data folder and our schema. */
export async function startTestWeaviate(
  opts: { schema?: boolean; env?: Record<string, string> } = {},
): Promise<TestWeaviate> {
  const root = mkdtempSync(join(tmpdir(), "tiktok-recs-test-"));
  const dataDir = join(root, "weaviate");
  const env: NodeJS.ProcessEnv = { ...process.env, WEAVIATE_DATA_DIR: dataDir, ...opts.env };
  delete env.WEAVIATE_URL;
  delete env.WEAVIATE_API_KEY;
  const handle = await openWeaviate(loadConfig(env).weaviate, silentLogger);
  if (opts.schema !== false) await applySchema(handle, silentLogger);
  return {
    ...handle,
    dataDir,
    dispose: async () => {
      await handle.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
