import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEncoder } from "../../src/embed/encoder.js";
import { writeDemoCatalogue } from "../../src/ingest/demo/demo-catalogue.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import type { Config } from "../../src/platform/config/config.js";
import type { Logger } from "../../src/platform/logger.js";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";

/** Ingests the demo catalogue into a bench's store with the real encoder, then releases the encoder. */
export async function ingestDemoCatalogue(
  weaviate: WeaviateHandle,
  models: Config["models"],
  log: Logger,
): Promise<void> {
  const encoder = await createEncoder({ modelsDir: models.dir, ...models });
  const demo = mkdtempSync(join(tmpdir(), "bench-demo-"));
  try {
    writeDemoCatalogue(demo);
    const dump = createDumpSource(demo);
    await createIngestRunner({ weaviate, encoder, log }).run(dump, dump.usernames(), { trigger: "bench" });
  } finally {
    rmSync(demo, { recursive: true, force: true });
    await encoder.dispose();
  }
}
