import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../../platform/logger.js";
import { EventStoreUnavailableError } from "../event-store-error.js";
import type { RunAs } from "./data-folder.js";

/** The superuser's password, written beside the cluster at initdb (mode 0600) for every later start. */
const PASSWORD_FILE = "embedded-password";

/**
 * initdb with a random superuser password (scram-sha-256: the server listens on loopback, but
 * other local accounts could reach it), UTF-8 and the C locale (no dependence on the locales this
 * machine happens to have; byte-order sorting is all we need).
 */
export async function initCluster(
  initdb: string,
  dataDir: string,
  runAs: RunAs | undefined,
  log: Logger,
): Promise<void> {
  const password = randomBytes(18).toString("base64url");
  const pwFile = join(tmpdir(), `events-pg-${process.pid}-${randomBytes(4).toString("hex")}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (runAs) chownSync(pwFile, runAs.uid, runAs.gid);
  const started = Date.now();
  try {
    const args = [`--pgdata=${dataDir}`, "--auth=scram-sha-256", "--username=postgres", `--pwfile=${pwFile}`];
    args.push("--encoding=UTF8", "--locale=C", "--no-instructions");
    const output = await run(initdb, args, runAs);
    if (output.code !== 0)
      throw new EventStoreUnavailableError(
        `event store: initdb failed in ${dataDir} (exit ${output.code}): ${output.text.trim().slice(-800)}; ` +
          "check the folder's permissions and free space, or point EVENTS_DATA_DIR elsewhere",
      );
  } finally {
    rmSync(pwFile, { force: true });
  }
  const file = join(dataDir, PASSWORD_FILE);
  writeFileSync(file, password, { mode: 0o600 });
  if (runAs) chownSync(file, runAs.uid, runAs.gid);
  log.info("created the embedded postgres cluster", { dataDir, ms: Date.now() - started });
}

export function readPassword(dataDir: string): string {
  try {
    return readFileSync(join(dataDir, PASSWORD_FILE), "utf8").trim();
  } catch {
    throw new EventStoreUnavailableError(
      `event store: data folder ${dataDir} holds a PostgreSQL cluster without our ${PASSWORD_FILE} file ` +
        "(not created by this service); point EVENTS_DATA_DIR at a fresh folder, or use EVENTS_DATABASE_URL",
    );
  }
}

function run(cmd: string, args: string[], runAs: RunAs | undefined): Promise<{ code: number; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C" },
      ...runAs,
    });
    let text = "";
    child.stdout.on("data", (c: Buffer) => (text += c.toString()));
    child.stderr.on("data", (c: Buffer) => (text += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, text }));
  });
}
