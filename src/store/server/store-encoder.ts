import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ErrorCode, ServiceError } from "../../platform/errors.js";
import { storeIsEmpty } from "../store-status.js";
import type { WeaviateHandle } from "../weaviate-handle.js";

/**
 * Which encoder's space the embedded store's vectors live in. Two models' vectors are not
 * comparable (all-MiniLM-L6-v2 and paraphrase-MiniLM-L3-v2 give the same sentence cosine ~0.2),
 * so a query embedded by one against a store built by the other returns noise, silently. The
 * service re-embeds the store into a new encoder generation instead (src/app/encoder-generations-service.ts);
 * `npm run ingest` and an external Weaviate (no data folder of ours) still refuse another encoder.
 */
export const ENCODER_MARKER_FILE = ".tiktok-recs-encoder.json";

/** A store that held videos before this marker existed was built by the only encoder there was. */
const ENCODER_BEFORE_MARKER = "sentence-transformers/all-MiniLM-L6-v2";

/** Thrown at startup when the configured encoder is not the one the store's vectors came from. */
export class StoreEncoderMismatchError extends ServiceError {
  constructor(dataDir: string, stored: string, wanted: string, basis: string) {
    super(
      ErrorCode.StoreEncoderMismatch,
      `The Weaviate store in ${dataDir} holds vectors from ${stored} (${basis}), but the encoder configured now is ${wanted}: ` +
        "queries would be compared with vectors of another model. Set EMBED_MODEL back to the store's encoder, " +
        `start the service with EMBED_MODEL=${wanted.replace(/^.*\//, "")} (it rebuilds the store as a new encoder generation while the current one serves), ` +
        `or point WEAVIATE_DATA_DIR at a fresh folder and ingest again with ${wanted}.`,
    );
  }
}

/**
 * Checks the embedded store against `family` (the encoder's model id without its precision, so
 * MiniLM-L6's q8 and fp32 share a store), and records it when the store had no encoder yet.
 * A no-op for an external Weaviate, which has no data folder of ours to mark.
 */
export async function claimStoreEncoder(handle: WeaviateHandle, family: string): Promise<void> {
  const dataDir = handle.embedded?.dataDir;
  if (!dataDir) return;
  const path = join(dataDir, ENCODER_MARKER_FILE);
  if (existsSync(path)) {
    const { encoder, writtenAt } = JSON.parse(readFileSync(path, "utf8")) as {
      encoder: string;
      writtenAt: string;
    };
    if (encoder !== family)
      throw new StoreEncoderMismatchError(
        dataDir,
        encoder,
        family,
        `recorded in ${ENCODER_MARKER_FILE} at ${writtenAt}`,
      );
    return;
  }
  if (!(await storeIsEmpty(handle)) && family !== ENCODER_BEFORE_MARKER)
    throw new StoreEncoderMismatchError(
      dataDir,
      ENCODER_BEFORE_MARKER,
      family,
      "the store has videos and no encoder marker, so it predates the second encoder",
    );
  const tmp = `${path}.tmp`;
  writeFileSync(
    tmp,
    `${JSON.stringify({ encoder: family, writtenAt: new Date().toISOString() }, null, 2)}\n`,
  );
  renameSync(tmp, path);
}

/** The encoder the embedded store's marker names (absent: no marker yet, or an external Weaviate). */
export function recordedStoreEncoder(handle: WeaviateHandle): string | undefined {
  const dataDir = handle.embedded?.dataDir;
  const path = dataDir && join(dataDir, ENCODER_MARKER_FILE);
  if (!path || !existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, "utf8")) as { encoder: string }).encoder;
}

/** Rewrites the marker: an encoder generation switch changes which encoder the store serves. */
export function recordStoreEncoder(dataDir: string, family: string): void {
  const path = join(dataDir, ENCODER_MARKER_FILE);
  writeFileSync(
    `${path}.tmp`,
    `${JSON.stringify({ encoder: family, writtenAt: new Date().toISOString() }, null, 2)}\n`,
  );
  renameSync(`${path}.tmp`, path);
}
