import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Encoder } from "../../embed/encoder.js";
import { createDumpSource } from "../../ingest/sources/dump-source.js";
import { createIngestRunner } from "../../ingest/ingest-runner.js";
import type { Logger } from "../../platform/logger.js";
import type { WeaviateHandle } from "../../store/weaviate-handle.js";
import { writeTrainingDump, type HeldOut } from "./time-split.js";

/** Ingests every creator and video of the dump and these users' comments from before their split. Returns seconds. */
export async function ingestPast(
  dataset: string,
  users: HeldOut[],
  deps: { weaviate: WeaviateHandle; encoder: Encoder; log: Logger },
  progress: (phase: string, done: number, total: number) => void,
): Promise<number> {
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), "eval-dump-"));
  try {
    await writeTrainingDump(dataset, users, work);
    const dump = createDumpSource(work);
    await createIngestRunner(deps).run(dump, dump.usernames(), {
      trigger: "eval",
      onProgress: (p) => progress(`ingest ${p.phase}`, p.done, p.total),
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return (performance.now() - started) / 1000;
}
