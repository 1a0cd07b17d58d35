import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AppEvent, ServedPage } from "../../src/domain/app-events.js";
import { silentLogger } from "../../src/platform/logger.js";
import { openEventStore, type EventStore } from "../../src/events/event-store.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../src/events/server/embedded-postgres.js";

export interface TestPostgres {
  server: EmbeddedPostgres;
  /** A fresh database on the server, so tests of one file do not see each other's rows. */
  database(): Promise<string>;
  dispose(): Promise<void>;
}

/** One real embedded PostgreSQL per test file, in a throwaway folder. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const root = mkdtempSync(join(tmpdir(), "tiktok-recs-events-"));
  const server = await startEmbeddedPostgres({ dataDir: join(root, "postgres"), log: silentLogger });
  let n = 0;
  const { default: pg } = await import("pg");
  return {
    server,
    database: async () => {
      const name = `t${process.pid}_${++n}`;
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return server.url.replace(/\/postgres$/, `/${name}`);
    },
    dispose: async () => {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** An EventStore on a fresh database of the test server (external mode: the test owns the server). */
export async function openTestStore(pgServer: TestPostgres, retentionDays = 30): Promise<EventStore> {
  return openEventStore({ url: await pgServer.database(), dataDir: "", retentionDays, log: silentLogger });
}

/** A page of `n` items at positions 1..n; items at `sponsoredAt` are sponsored. */
export function page(
  servedId: string,
  opts: {
    userId: string;
    servedAt: Date;
    experimentId?: string;
    arm?: string;
    n?: number;
    sponsoredAt?: number[];
  },
): ServedPage {
  const n = opts.n ?? 10;
  return {
    servedId,
    userId: opts.userId,
    servedAt: opts.servedAt,
    experimentId: opts.experimentId,
    arm: opts.arm,
    items: Array.from({ length: n }, (_, i) => ({
      videoId: `${servedId}-v${i + 1}`,
      position: i + 1,
      sponsored: (opts.sponsoredAt ?? []).includes(i + 1),
    })),
  };
}

export const impression = (id: string, servedId: string, positions: number[]): AppEvent => ({
  kind: "impression",
  clientEventId: id,
  servedId,
  positions,
});
export const click = (id: string, servedId: string, position: number): AppEvent => ({
  kind: "click",
  clientEventId: id,
  servedId,
  position,
});
export const dwell = (id: string, servedId: string, position: number, dwellMs: number): AppEvent => ({
  kind: "dwell",
  clientEventId: id,
  servedId,
  position,
  dwellMs,
});
