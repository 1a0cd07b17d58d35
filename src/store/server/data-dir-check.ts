import { statfsSync } from "node:fs";
import { ErrorCode, ServiceError } from "../../platform/errors.js";
import { writableFolderProblem } from "../../platform/writable-folder.js";

/**
 * Below this much free space weaviate-server v1.39 either exits at start (a new store) or comes up
 * "ready" with shards it could not load and refuses every write (an existing store): checked live.
 */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;

/** Thrown when the Weaviate data folder cannot be used: not a folder, not writable, or its disk full. */
export class DataDirError extends ServiceError {
  constructor(
    readonly dataDir: string,
    cause: string,
  ) {
    super(ErrorCode.DataDirUnusable, `Weaviate data folder ${dataDir}: ${cause}`);
  }
}

/**
 * What we can tell before starting weaviate-server: the data folder is a folder we can write,
 * on a disk with room. Weaviate's own reports of these are a crash or a half-loaded store.
 */
export function checkDataDir(dataDir: string, minFreeBytes = MIN_FREE_BYTES): void {
  const problem = writableFolderProblem(dataDir);
  if (problem?.kind === "not-a-folder")
    throw new DataDirError(dataDir, "exists but is not a folder; point WEAVIATE_DATA_DIR at a folder");
  if (problem?.kind === "disk-full")
    throw new DataDirError(dataDir, `its disk is full (no space left on device); ${FREE_UP}`);
  if (problem?.kind === "not-writable")
    throw new DataDirError(
      dataDir,
      `is not writable (${describeFsError(problem.error)}); fix its permissions or mount, or point WEAVIATE_DATA_DIR elsewhere`,
    );
  const fs = statfsSync(dataDir);
  const free = fs.bavail * fs.bsize;
  if (free < minFreeBytes) {
    throw new DataDirError(
      dataDir,
      `its disk is full (${mib(free)} MiB free, Weaviate needs at least ${mib(minFreeBytes)} MiB to start); ${FREE_UP}`,
    );
  }
}

function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    EROFS: "read-only file system",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
  };
  return e.code ? `${reasons[e.code] ?? e.message} (${e.code})` : String(err);
}

const FREE_UP = "free some space or move WEAVIATE_DATA_DIR";
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
