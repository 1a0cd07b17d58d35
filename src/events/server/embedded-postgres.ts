import { spawn } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../platform/free-port.js";
import type { Logger } from "../../platform/logger.js";
import { REPO_ROOT } from "../../platform/paths.js";
import { makeParentsTraversable, postgresAccount, prepareDataDir } from "./data-folder.js";
import { postgresBinaries } from "./postgres-binaries.js";
import { clearStaleServer, recordOwner, stopPid } from "./stale-server.js";
import { initCluster, readPassword } from "./init-cluster.js";
import { waitReady } from "./wait-ready.js";

export interface EmbeddedPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** The postgres server itself (not the lifeline wrapper). */
  pid: number;
  dataDir: string;
  logFile: string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL on a free loopback port with its data in `dataDir` (initdb on first use),
 * and waits until it takes connections. Like the embedded Weaviate it runs under
 * weaviate/lifeline.sh, in its own process group: when this process dies by any means the server
 * gets SIGTERM, and an orphan that outlived us anyway is stopped before the next start.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  log: Logger;
}): Promise<EmbeddedPostgres> {
  const { dataDir } = opts;
  const log = opts.log.child({ component: "postgres" });
  const bin = await postgresBinaries();
  const runAs = postgresAccount(log);
  const initialised = prepareDataDir(dataDir, runAs, log);
  if (runAs) makeParentsTraversable(bin.postgres, runAs, log);
  if (!initialised) await initCluster(bin.initdb, dataDir, runAs, log);
  await clearStaleServer(dataDir, log);
  const password = readPassword(dataDir);
  const port = await freePort();
  const logFile = `${dataDir.replace(/\/+$/, "")}.log`;
  const logStream = createWriteStream(logFile, { flags: "a" });
  logStream.on("error", (err) => log.warn("cannot write the postgres log", { logFile, error: err.message }));

  const lifeline = readFileSync(join(REPO_ROOT, "weaviate", "lifeline.sh"), "utf8");
  const args = ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1"];
  args.push("-c", "unix_socket_directories=", "-c", "max_connections=200");
  const child = spawn("/bin/sh", ["-c", lifeline, "lifeline", bin.postgres, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C", HOME: tmpdir() },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
    ...runAs,
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    logStream.write(chunk);
    tail.push(...chunk.toString().split("\n").filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 30));
  };
  child.stderr.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const pid = await readPid(child.stdout, keep, exited);
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) await stopPid(pid, log);
      await exited;
      child.stdin.destroy(); // an open pipe to a dead lifeline would keep this process alive
      logStream.end();
    })());
  try {
    await waitReady(url, exited, 60_000, () => explain(dataDir, logFile, tail));
  } catch (err) {
    await stop();
    throw err;
  }
  recordOwner(dataDir, pid);
  log.info("embedded postgres ready", { pid, port, dataDir, logFile });
  void exited.then((code) => {
    if (!stopping) log.error("embedded postgres exited", { code, logFile, tail: tail.slice(-5) });
  });
  return { url, port, pid, dataDir, logFile, exited, stop };
}

function readPid(
  stdout: NodeJS.ReadableStream,
  keep: (chunk: Buffer) => void,
  exited: Promise<number | null>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let head = "";
    let found = false;
    stdout.on("data", (chunk: Buffer) => {
      if (found) return keep(chunk);
      head += chunk.toString();
      const match = /lifeline-child-pid=(\d+)\n/.exec(head);
      if (!match) return;
      found = true;
      resolve(Number(match[1]));
    });
    void exited.then((code) => reject(new Error(`postgres lifeline exited early (${code})`)));
  });
}

function explain(dataDir: string, logFile: string, tail: string[]): string {
  const causes = tail.filter((l) => /FATAL|PANIC|ERROR/.test(l));
  const lock = existsSync(join(dataDir, "postmaster.pid"));
  return (
    `PostgreSQL could not start on data folder ${dataDir}:\n  ${(causes.length ? causes : tail.slice(-5)).join("\n  ")}\n` +
    `Its full log: ${logFile}.` +
    (lock ? " A postmaster.pid is present: is another postgres using this folder?" : "") +
    " If the folder is damaged, move it away (events are lost) or point EVENTS_DATA_DIR at a fresh folder."
  );
}
