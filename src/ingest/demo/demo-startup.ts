import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../../platform/logger.js";
import { storeIsEmpty } from "../../store/store-status.js";
import type { WeaviateHandle } from "../../store/weaviate-handle.js";
import { writeDemoCatalogue } from "./demo-catalogue.js";
import { createDumpSource } from "../sources/dump-source.js";
import type { IngestRunner } from "../ingest-runner.js";

/**
 * Gives a newcomer something to query: when the embedded store holds no videos, generate the
 * demo catalogue and ingest it (a few seconds). An external Weaviate is never seeded.
 */
export async function seedDemoCatalogueIfEmpty(
  weaviate: WeaviateHandle,
  runner: IngestRunner,
  log: Logger,
): Promise<boolean> {
  if (weaviate.mode !== "embedded" || !(await storeIsEmpty(weaviate))) return false;
  const dir = mkdtempSync(join(tmpdir(), "tiktok-recs-demo-"));
  try {
    const summary = writeDemoCatalogue(dir);
    log.info("store is empty: ingesting the demo catalogue", { ...summary });
    const dump = createDumpSource(dir);
    const outcome = await runner.run(dump, dump.usernames(), { trigger: "startup:demo-catalogue" });
    log.info("demo catalogue ingested", { seconds: outcome.seconds, embedded: outcome.counts.embedded });
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
