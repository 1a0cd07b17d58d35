import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { openEventStore } from "../../src/events/event-store.js";
import { silentLogger } from "../../src/platform/logger.js";
import { impression } from "../helpers/event-store.js";

const PER_BATCH = 40;
const storeModule = new URL("../../src/events/event-store.js", import.meta.url).href;
const helpers = new URL("../helpers/event-store.js", import.meta.url).href;

/** Opens the embedded store, then appends numbered batches forever, printing each acknowledged one. */
const CHILD = `
const { openEventStore } = await import(${JSON.stringify(storeModule)});
const { page, impression } = await import(${JSON.stringify(helpers)});
const { silentLogger } = await import(${JSON.stringify(new URL("../../src/platform/logger.js", import.meta.url).href)});
const [dataDir, prefix] = process.argv.slice(1);
const store = await openEventStore({ dataDir, retentionDays: 30, log: silentLogger });
await store.recordServedPage(page("p", { userId: "u", servedAt: new Date(), experimentId: "crash", arm: "a" }));
for (let k = 0; ; k++) {
  const events = Array.from({ length: ${PER_BATCH} }, (_, j) => impression(prefix + k + "-" + j, "p", [1 + (j % 10)]));
  await store.appendEvents("app", events);
  process.stdout.write("ack " + k + "\\n");
}`;

const batch = (prefix: string, k: number) =>
  Array.from({ length: PER_BATCH }, (_, j) => impression(`${prefix}${k}-${j}`, "p", [1 + (j % 10)]));

/** Runs the child until it acknowledged `acks` batches, then SIGKILLs it (and, for `orphan`, its lifeline too). */
async function appendThenKill(dataDir: string, prefix: string, orphan: boolean): Promise<number> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD, dataDir, prefix], {
    stdio: "pipe",
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  let last = -1;
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      for (const m of c.toString().matchAll(/ack (\d+)/g)) last = Number(m[1]);
      if (last >= 25) resolve();
    });
    child.on("exit", (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
  });
  if (orphan) {
    // Leave postgres itself running with no lifeline: the orphan a plain SIGKILL can leave behind.
    const pgPid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const lifeline = ppid(pgPid);
    // The lifeline's watcher (a subshell and its cat) first, so nothing is left to pass SIGTERM on.
    const watcher = children(lifeline).filter((p) => p !== pgPid);
    for (const pid of watcher.flatMap((w) => [...descendants(w), w])) kill(pid);
    process.kill(lifeline, "SIGKILL");
  }
  child.kill("SIGKILL");
  await new Promise((r) => child.once("close", r));
  if (orphan) {
    const pgPid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    assert.doesNotThrow(() => process.kill(pgPid, 0), "the orphaned postgres is still running");
  }
  return last;
}

async function reopenAndCheck(dataDir: string, prefix: string, lastAck: number): Promise<void> {
  const store = await openEventStore({ dataDir, retentionDays: 30, log: silentLogger });
  try {
    const before = (await store.aggregates("crash")).events;
    let committedUnacked = 0;
    for (let k = 0; k <= lastAck + 3; k++) {
      const statuses = new Set((await store.appendEvents("app", batch(prefix, k))).map((o) => o.status));
      assert.equal(statuses.size, 1, `batch ${k} is partially present: ${[...statuses]}`);
      if (k <= lastAck) assert.deepEqual([...statuses], ["duplicate"], `acknowledged batch ${k} was lost`);
      else if (statuses.has("duplicate")) committedUnacked++;
    }
    assert.ok(committedUnacked <= 1, "only the batch in flight can have committed unacknowledged");
    const total = (await store.aggregates("crash")).events;
    // Batches lastAck+1..lastAck+3 were re-sent: each not committed before is added exactly once now.
    assert.equal(total - before, (3 - committedUnacked) * PER_BATCH);
  } finally {
    await store.close();
  }
}

describe("the API process SIGKILLed while appending (live embedded PostgreSQL)", () => {
  const root = mkdtempSync(join(tmpdir(), "tiktok-recs-events-crash-"));
  const dataDir = join(root, "postgres");
  after(() => rmSync(root, { recursive: true, force: true }));

  test("killed alone: the lifeline stops its server; reopening keeps every acknowledged batch whole", async () => {
    const last = await appendThenKill(dataDir, "a", false);
    await reopenAndCheck(dataDir, "a", last);
  });

  test("killed with its lifeline: the orphaned server is stopped at reopen; nothing committed is lost", async () => {
    const last = await appendThenKill(dataDir, "b", true);
    await reopenAndCheck(dataDir, "b", last);
  });
});

function ppid(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
}

function children(pid: number): number[] {
  const all = readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  return all.filter((p) => {
    try {
      return ppid(p) === pid;
    } catch {
      return false; // gone while we looked
    }
  });
}

function descendants(pid: number): number[] {
  return children(pid).flatMap((c) => [c, ...descendants(c)]);
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}
