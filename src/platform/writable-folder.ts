import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Why a data folder cannot be used, for the caller's own error and fix; undefined when it can. */
export type FolderProblem =
  { kind: "not-a-folder" } | { kind: "disk-full" } | { kind: "not-writable"; error: unknown };

/**
 * Creates `dir` when missing and proves it writable with a probe file: what both embedded stores
 * check before starting a server on it (a server's own report of these is a crash).
 */
export function writableFolderProblem(dir: string): FolderProblem | undefined {
  const kind = statSync(dir, { throwIfNoEntry: false });
  if (kind && !kind.isDirectory()) return { kind: "not-a-folder" };
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, ".write-probe");
    writeFileSync(probe, "ok");
    rmSync(probe);
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOSPC") return { kind: "disk-full" };
    return { kind: "not-writable", error };
  }
}
