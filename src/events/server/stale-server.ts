import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../platform/logger.js";
import { EventStoreUnavailableError } from "../event-store-error.js";

/** Who started the server now running in a data folder: written at each start. */
const OWNER_FILE = "embedded-owner.json";

export function recordOwner(dataDir: string, postgresPid: number): void {
  writeFileSync(join(dataDir, OWNER_FILE), JSON.stringify({ pid: process.pid, postgresPid }));
}

/**
 * An API process that was SIGKILLed can leave its postgres running (an orphan), holding the data
 * folder through postmaster.pid; postgres would then refuse to start. Before each start: a live
 * postgres of this folder whose starting process is gone is stopped (a fast shutdown: open
 * transactions roll back, committed ones are on disk); one whose starter is alive means another
 * process uses the folder, which we report rather than break. A lock file naming a pid that is
 * not a postgres (reused after a reboot) is removed.
 */
export async function clearStaleServer(dataDir: string, log: Logger): Promise<void> {
  const lockFile = join(dataDir, "postmaster.pid");
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return; // postgres removes a dead pid's lock itself
  const cmdline = procText(pid, "cmdline");
  if (cmdline !== undefined && !cmdline.includes("postgres")) {
    log.warn("removing a stale postmaster.pid that names a process which is not postgres", { pid, dataDir });
    rmSync(lockFile, { force: true });
    return;
  }
  const owner = readOwner(dataDir);
  if (owner && owner.pid !== process.pid && alive(owner.pid) && grandparent(pid) === owner.pid)
    throw new EventStoreUnavailableError(
      `event store: data folder ${dataDir} is in use by the embedded PostgreSQL of another running process ` +
        `(pid ${owner.pid}); the embedded server serves one process: stop that one, use another EVENTS_DATA_DIR, ` +
        "or point every replica at a shared server with EVENTS_DATABASE_URL",
    );
  log.warn("stopping an orphaned embedded postgres left by a process that died", { pid, dataDir });
  await stopPid(pid, log);
}

/** SIGINT (fast shutdown), then SIGQUIT (immediate: crash recovery at the next start) after 15 s. */
export async function stopPid(pid: number, log: Logger, graceMs = 15_000): Promise<void> {
  signal(pid, "SIGINT");
  if (await waitGone(pid, graceMs)) return;
  log.warn("postgres did not stop within the grace period; sending SIGQUIT", { pid });
  signal(pid, "SIGQUIT");
  if (!(await waitGone(pid, 10_000)))
    throw new EventStoreUnavailableError(
      `event store: the old postgres (pid ${pid}) would not stop; kill it`,
    );
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return procText(pid, "stat")?.split(") ")[1]?.startsWith("Z") !== true; // a zombie is gone
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** The parent of the parent (postgres -> lifeline -> the process that started it), on Linux. */
function grandparent(pid: number): number | undefined {
  const ppid = (p: number) => Number(procText(p, "stat")?.split(") ")[1]?.split(" ")[1]);
  const parent = ppid(pid);
  return Number.isInteger(parent) && parent > 1 ? ppid(parent) : undefined;
}

function procText(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8").replace(/\0/g, " ");
  } catch {
    return undefined;
  }
}

function readOwner(dataDir: string): { pid: number } | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dataDir, OWNER_FILE), "utf8")) as { pid?: unknown };
    return typeof owner.pid === "number" ? { pid: owner.pid } : undefined;
  } catch {
    return undefined;
  }
}
