import type { WeaviateHandle } from "./weaviate-handle.js";
import { ErrorCode, ServiceError } from "../platform/errors.js";

/** Weaviate's backup backends; the embedded server enables `filesystem` (BACKUP_FILESYSTEM_PATH). */
export const BACKENDS = ["filesystem", "s3", "gcs", "azure"] as const;
export type BackupBackend = (typeof BACKENDS)[number];

/** Weaviate accepts lowercase ids of letters, digits, `-` and `_`. */
export const BACKUP_ID = /^[a-z0-9_-]+$/;

export interface BackupOptions {
  id: string;
  backend: BackupBackend;
  /** Called on every status change, and at least every `heartbeatMs` while nothing changes. */
  onStatus?: (status: string, seconds: number) => void;
  pollMs?: number;
  heartbeatMs?: number;
  timeoutMs?: number;
}

export interface BackupOutcome {
  id: string;
  backend: BackupBackend;
  /** Where the backend keeps it (a folder for `filesystem`). */
  path: string;
  classes: string[];
  seconds: number;
}

/** Thrown when a backup or restore fails or is refused. */
export class BackupError extends ServiceError {
  constructor(message: string) {
    super(ErrorCode.BackupFailed, message);
  }
}

/** Backs up every class, and waits until Weaviate reports SUCCESS (or says why not). */
export async function createBackup(handle: WeaviateHandle, opts: BackupOptions): Promise<BackupOutcome> {
  const began = Date.now();
  const started = await call("create", opts, () =>
    handle.client.backup.create({ backupId: opts.id, backend: opts.backend, waitForCompletion: false }),
  );
  await waitFor("create", opts, began, () =>
    handle.client.backup.getCreateStatus({ backupId: opts.id, backend: opts.backend }),
  );
  return outcome(started, opts, began);
}

/**
 * Restores a backup into a store that has none of its classes: Weaviate never overwrites a live
 * class, so a store with classes (even empty ones, as a started service creates) is refused first.
 */
export async function restoreBackup(handle: WeaviateHandle, opts: BackupOptions): Promise<BackupOutcome> {
  const existing = await liveClasses(handle);
  if (existing.length > 0) {
    throw new BackupError(
      `Cannot restore ${opts.id}: the target store already has classes (${existing.join(", ")}), and Weaviate restores only into a store without them.\n` +
        "Restore into an empty store: stop the service, point WEAVIATE_DATA_DIR at a new empty folder (keep BACKUP_FILESYSTEM_PATH pointing at the backups) " +
        "and run the restore again, then start the service on that folder. With an external WEAVIATE_URL, delete those classes first.",
    );
  }
  const began = Date.now();
  const started = await call("restore", opts, () =>
    handle.client.backup.restore({ backupId: opts.id, backend: opts.backend, waitForCompletion: false }),
  );
  await waitFor("restore", opts, began, () =>
    handle.client.backup.getRestoreStatus({ backupId: opts.id, backend: opts.backend }),
  );
  return outcome(started, opts, began);
}

/** Backups the backend holds, oldest first. */
export async function listBackups(handle: WeaviateHandle, backend: BackupBackend) {
  const list = await call("list", { id: "", backend }, () =>
    handle.client.backup.list(backend, { startedAtAsc: true }),
  );
  // The client types these as Date but passes Weaviate's strings through.
  return list.map((b) => ({ id: b.id, status: b.status, startedAt: b.startedAt ? String(b.startedAt) : "" }));
}

type Started = Awaited<ReturnType<WeaviateHandle["client"]["backup"]["create"]>>;
type Status = Awaited<ReturnType<WeaviateHandle["client"]["backup"]["getCreateStatus"]>>;

async function call<T>(
  what: string,
  opts: Pick<BackupOptions, "id" | "backend">,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new BackupError(
      `Backup ${what}${opts.id ? ` of ${opts.id}` : ""} on the ${opts.backend} backend failed: ${(err as Error).message}${hint((err as Error).message, opts.backend)}`,
    );
  }
}

async function waitFor(
  what: "create" | "restore",
  opts: BackupOptions,
  began: number,
  status: () => Promise<Status>,
): Promise<void> {
  const deadline = began + (opts.timeoutMs ?? 60 * 60_000);
  let last = "";
  let lastReport = 0;
  for (;;) {
    const s = await call(`${what} status`, opts, status);
    const seconds = (Date.now() - began) / 1000;
    if (s.status !== last || Date.now() - lastReport >= (opts.heartbeatMs ?? 5_000)) {
      opts.onStatus?.(s.status, seconds);
      last = s.status;
      lastReport = Date.now();
    }
    if (s.status === "SUCCESS") return;
    if (s.status === "FAILED" || s.status === "CANCELED") {
      throw new BackupError(
        `Backup ${what} of ${opts.id} ${s.status.toLowerCase()} after ${seconds.toFixed(1)} s: ${s.error ?? "Weaviate gave no reason"}${hint(s.error ?? "", opts.backend)}`,
      );
    }
    if (Date.now() > deadline)
      throw new BackupError(
        `Backup ${what} of ${opts.id} still ${s.status} after ${seconds.toFixed(0)} s; it goes on in Weaviate (check again later)`,
      );
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
}

function outcome(started: Started, opts: BackupOptions, began: number): BackupOutcome {
  return {
    id: opts.id,
    backend: opts.backend,
    path: started.path,
    classes: started.collections ?? [],
    seconds: (Date.now() - began) / 1000,
  };
}

/** What to do about the errors people meet first. */
function hint(message: string, backend: BackupBackend): string {
  if (
    /not found|not enabled|unknown backend|no backup backend/i.test(message) &&
    /backend|module/i.test(message)
  ) {
    return `\nThe server has no ${backend} backup module: the embedded server enables backup-filesystem itself; an external Weaviate needs ENABLE_MODULES to include backup-${backend} (and, for filesystem, BACKUP_FILESYSTEM_PATH).`;
  }
  if (/does not exist|metadata not found/i.test(message))
    return "\nnpm run backup -- list shows the backups this server sees; for filesystem, BACKUP_FILESYSTEM_PATH must name the folder that holds it.";
  if (/already exists/i.test(message))
    return "\nPick another --id (ids are never reused), or delete the old backup from the backend.";
  return "";
}

async function liveClasses(handle: WeaviateHandle): Promise<string[]> {
  const res = await fetch(`${handle.restUrl}/v1/schema`, {
    headers: handle.headers,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new BackupError(`GET /v1/schema answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { classes?: { class: string }[] };
  return (body.classes ?? []).map((c) => c.class).sort();
}
