/**
 * The measurement that chose the event store: the same logical schema and queries in PostgreSQL
 * (the embedded server, through the real EventStore) and DuckDB (a file): (1) append rate in
 * batches, (2) the report's aggregates() over --events stored events generated in-database
 * (~100k users, 14 days, 2 arms, 10 positions, 8 events a page), (3) disk size.
 *
 *   npm run bench:event-stores -- [--events 1000000] [--batch 500]
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { AppEvent } from "../src/domain/app-events.js";
import { openEventStore } from "../src/events/event-store.js";
import { toAggregates } from "../src/events/experiment-aggregates.query.js";
import { ARM_POSITIONS_SQL, ARM_SQL, ARMS_SQL } from "../src/events/queries/aggregates-sql.js";
import { MIGRATIONS } from "../src/events/schema/migrations.js";
import { startEmbeddedPostgres } from "../src/events/server/embedded-postgres.js";
import { silentLogger } from "../src/platform/logger.js";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg("events", 1_000_000);
const BATCH = arg("batch", 500);
const BATCHES = 30;
const CHUNK = 1_000_000;
const APPEND_PAGES = 2000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const progress = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

/** A batch of the append phase: mostly impressions of 2 positions, some clicks and dwells. */
function batchOf(tag: string, k: number): AppEvent[] {
  return Array.from({ length: BATCH }, (_, j): AppEvent => {
    const [clientEventId, servedId, position] = [
      `${tag}-${k}-${j}`,
      `A${(k * BATCH + j) % APPEND_PAGES}`,
      1 + (j % 10),
    ];
    if (j % 8 < 6)
      return { kind: "impression", clientEventId, servedId, positions: [1 + (j % 5) * 2, 2 + (j % 5) * 2] };
    if (j % 8 === 6) return { kind: "click", clientEventId, servedId, position };
    return { kind: "dwell", clientEventId, servedId, position, dwellMs: (j * 7919) % 60_000 };
  });
}

/** In-database generation, in each dialect: pages `P<g>`/`A<g>` and events of experiment `load`. */
function generation(d: "pg" | "duck") {
  const div = (a: string, b: number) => (d === "pg" ? `((${a}) / ${b})` : `((${a}) // ${b})`);
  const series = (lo: number, hi: number, v: string) =>
    d === "pg" ? `generate_series(${lo}::bigint, ${hi}) ${v}` : `range(${lo}, ${hi + 1}) t(${v})`;
  const day = (p: string) => `((${div(p, 100000)} + ${p} % 100000) % 14)`;
  const servedAt = (p: string) =>
    d === "pg"
      ? `timestamptz '2026-01-01 00:00+00' + ${day(p)} * interval '1 day' + (${p} % 86400) * interval '1 second'`
      : `TIMESTAMP '2026-01-01' + to_days(CAST(${day(p)} AS INTEGER)) + to_seconds(CAST(${p} % 86400 AS BIGINT))`;
  const videos = (p: string, pos: string) =>
    d === "pg"
      ? `ARRAY(SELECT 'v' || ((${p} * 10 + x) % 200000) FROM unnest(${pos}) x)`
      : `list_transform(${pos}, x -> 'v' || ((${p} * 10 + x) % 200000))`;
  const sponsored = (pos: string) =>
    d === "pg" ? `ARRAY(SELECT x = 1 FROM unnest(${pos}) x)` : `list_transform(${pos}, x -> x = 1)`;
  const list = (items: string) =>
    d === "pg" ? `ARRAY[${items}]::smallint[]` : `CAST([${items}] AS SMALLINT[])`;
  const arm = (p: string) => `CASE WHEN ${p} % 2 = 0 THEN 'control' ELSE 'treat' END`;
  const pages = (prefix: string, experiment: string, lo: number, hi: number) => `
    INSERT INTO served_pages SELECT '${prefix}' || g, 'u' || (g % 100000), ${servedAt("g")}, '${experiment}', ${arm("g")},
      ${list("1,2,3,4,5,6,7,8,9,10")}, ${videos("g", list("1,2,3,4,5,6,7,8,9,10"))}, ${sponsored(list("1,2,3,4,5,6,7,8,9,10"))}
    FROM ${series(lo, hi, "g")}`;
  const events = (lo: number, hi: number) => `
    INSERT INTO events (source, client_event_id, served_id, kind, positions, video_ids, sponsored, dwell_ms,
                        user_id, experiment_id, arm, served_at)
    SELECT 'bench', 'e' || e, 'P' || p, kind, pos, ${videos("p", "pos")}, ${sponsored("pos")},
      CASE WHEN kind = 'dwell' THEN (e * 7919) % 60000 END, 'u' || (p % 100000), 'load', ${arm("p")}, ${servedAt("p")}
    FROM (SELECT e, ${div("e - 1", 8)} + 1 AS p,
            CASE WHEN e % 8 < 6 THEN 'impression' WHEN e % 8 = 6 THEN 'click' ELSE 'dwell' END AS kind,
            CASE WHEN e % 8 < 6 THEN ${list("(e % 5) * 2 + 1, (e % 5) * 2 + 2")} ELSE ${list("e % 10 + 1")} END AS pos
          FROM ${series(lo, hi, "e")}) s`;
  const len = d === "pg" ? "cardinality" : "len";
  const dayOf = d === "pg" ? "(served_at AT TIME ZONE 'UTC')::date" : "CAST(served_at AS DATE)";
  const rollups = [
    `INSERT INTO arm_user_days (experiment_id, arm, user_id, day, pages, impressions, clicks, dwell_ms, dwell_events, events)
     SELECT experiment_id, arm, user_id, day, sum(pg), sum(im), sum(cl), sum(dm), sum(de), sum(ev) FROM (
       SELECT experiment_id, arm, user_id, ${dayOf} AS day, 1 AS pg, 0 AS im, 0 AS cl, 0 AS dm, 0 AS de, 0 AS ev
       FROM served_pages WHERE experiment_id = 'load'
       UNION ALL
       SELECT experiment_id, arm, user_id, ${dayOf}, 0, CASE WHEN kind = 'impression' THEN ${len}(positions) ELSE 0 END,
         CASE WHEN kind = 'click' THEN 1 ELSE 0 END, coalesce(dwell_ms, 0), CASE WHEN kind = 'dwell' THEN 1 ELSE 0 END, 1
       FROM events WHERE experiment_id = 'load') u
     GROUP BY 1, 2, 3, 4`,
    `INSERT INTO arm_positions (experiment_id, arm, position, sponsored, impressions, clicks)
     SELECT experiment_id, arm, position, sp, count(*) FILTER (WHERE kind = 'impression'), count(*) FILTER (WHERE kind = 'click')
     FROM (SELECT experiment_id, arm, kind, unnest(positions) AS position, unnest(sponsored) AS sp
           FROM events WHERE experiment_id = 'load' AND kind <> 'dwell') x
     GROUP BY 1, 2, 3, 4`,
  ];
  return { pages, events, rollups };
}

interface Row {
  store: string;
  append1: string;
  append2: string;
  loadS: number;
  aggMs: number;
  aggMsRuns: number[];
  disk: string;
}

async function loadIn(run: (sql: string) => Promise<unknown>, d: "pg" | "duck"): Promise<number> {
  const gen = generation(d);
  const started = performance.now();
  const pages = Math.ceil(EVENTS / 8);
  for (let lo = 1; lo <= pages; lo += CHUNK)
    await run(gen.pages("P", "load", lo, Math.min(pages, lo + CHUNK - 1)));
  for (let lo = 1; lo <= EVENTS; lo += CHUNK) {
    await run(gen.events(lo, Math.min(EVENTS, lo + CHUNK - 1)));
    progress(
      `${d}: ${Math.min(EVENTS, lo + CHUNK - 1).toLocaleString()} / ${EVENTS.toLocaleString()} events generated`,
    );
  }
  for (const sql of gen.rollups) await run(sql);
  progress(`${d}: rollups built`);
  return (performance.now() - started) / 1000;
}

const rate = (events: number, ms: number) => `${Math.round((events / ms) * 1000).toLocaleString()} ev/s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function benchPostgres(root: string): Promise<Row> {
  const dataDir = join(root, "postgres");
  const server = await startEmbeddedPostgres({ dataDir, log: silentLogger });
  const open = () => openEventStore({ url: server.url, dataDir, retentionDays: 3650, log: silentLogger });
  const [a, b] = [await open(), await open()];
  const pool = new pg.Pool({ connectionString: server.url, max: 2 });
  try {
    await pool.query(generation("pg").pages("A", "append", 0, APPEND_PAGES - 1));
    const pages: number[] = [];
    for (let k = 0; k < 200; k++) {
      const items = Array.from({ length: 10 }, (_, i) => ({
        videoId: `v${k}-${i}`,
        position: i + 1,
        sponsored: i === 0,
      }));
      const page = {
        servedId: `R${k}`,
        userId: `u${k}`,
        servedAt: new Date(),
        experimentId: "append",
        arm: "control",
        items,
      };
      pages.push(await time(() => a.recordServedPage(page)));
    }
    progress(`pg: recordServedPage median ${median(pages).toFixed(2)} ms`);
    const single: number[] = [];
    for (let k = 0; k < BATCHES; k++) single.push(await time(() => a.appendEvents("bench", batchOf("s", k))));
    progress(`pg: single writer median ${median(single).toFixed(1)} ms a batch`);
    const wall = await time(() =>
      Promise.all(
        [a, b].map(async (store, w) => {
          for (let k = 0; k < BATCHES; k++) await store.appendEvents("bench", batchOf(`w${w}`, k));
        }),
      ),
    );
    progress(`pg: two writers ${rate(2 * BATCHES * BATCH, wall)}`);
    const loadS = await loadIn((sql) => pool.query(sql), "pg");
    await pool.query("VACUUM ANALYZE");
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push(await time(() => a.aggregates("load")));
    const feedback: number[] = [];
    for (let u = 0; u < 20; u++)
      feedback.push(await time(() => a.userFeedback(`u${u * 4999}`, { ignoredAfter: 3 })));
    progress(
      `pg: userFeedback median ${median(feedback).toFixed(1)} ms (one user's ~${Math.round(EVENTS / 100_000)} events)`,
    );
    await pool.query("CHECKPOINT");
    const dbSize = Number((await pool.query("SELECT pg_database_size(current_database()) AS s")).rows[0].s);
    const folder = Number(execFileSync("du", ["-sb", dataDir], { encoding: "utf8" }).split("\t")[0]);
    return {
      store: "PostgreSQL 18 (embedded)",
      append1: `${median(single).toFixed(1)} ms (${rate(BATCH, median(single))})`,
      append2: rate(2 * BATCHES * BATCH, wall),
      loadS,
      aggMs: median(runs),
      aggMsRuns: runs,
      disk: `${mib(dbSize)} database, ${mib(folder)} folder with WAL`,
    };
  } finally {
    await pool.end();
    await Promise.all([a.close(), b.close()]);
    await server.stop();
  }
}

/** DuckDB's dialect of the PostgreSQL schema: same tables and keys, TIMESTAMP (UTC) for timestamptz. */
const duckSchema = () =>
  MIGRATIONS[0]!
    .replace(/timestamptz/g, "TIMESTAMP")
    .replace(/jsonb/g, "VARCHAR")
    .replace(/ NOT NULL DEFAULT now\(\)/g, "")
    .replace(/CHECK \(kind IN \([^)]*\)\)/, "")
    .replace(/--[^\n]*\n/g, "\n");

async function duckAppend(c: DuckDBConnection, events: AppEvent[]): Promise<void> {
  const app = await c.createAppender("stage");
  for (const e of events) {
    app.appendVarchar(e.clientEventId);
    app.appendVarchar(e.servedId);
    app.appendVarchar(e.kind);
    app.appendVarchar(e.kind === "impression" ? e.positions.join(",") : String(e.position));
    if (e.kind === "dwell") app.appendInteger(e.dwellMs);
    else app.appendNull();
    app.endRow();
  }
  app.closeSync();
  // The same steps as PostgreSQL's statement: skip stored ids, insert with the page's fields, upsert rollups from only the new rows.
  await c.run("BEGIN");
  await c.run(`CREATE OR REPLACE TEMP TABLE fresh AS
    SELECT 'bench' AS source, s.client_event_id, s.served_id, s.kind, CAST(string_split(s.pos, ',') AS SMALLINT[]) AS positions,
      s.dwell_ms, p.user_id, p.experiment_id, p.arm, p.served_at, p.video_ids AS pv, p.sponsored AS ps
    FROM stage s JOIN served_pages p ON p.served_id = s.served_id
    WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.source = 'bench' AND e.client_event_id = s.client_event_id)`);
  await c.run(`INSERT INTO events (source, client_event_id, served_id, kind, positions, video_ids, sponsored, dwell_ms, user_id, experiment_id, arm, served_at)
    SELECT source, client_event_id, served_id, kind, positions, list_transform(positions, x -> pv[x]), list_transform(positions, x -> ps[x]),
      dwell_ms, user_id, experiment_id, arm, served_at FROM fresh`);
  await c.run(`INSERT INTO arm_user_days (experiment_id, arm, user_id, day, impressions, clicks, dwell_ms, dwell_events, events)
    SELECT experiment_id, arm, user_id, CAST(served_at AS DATE), sum(CASE WHEN kind = 'impression' THEN len(positions) ELSE 0 END),
      count(*) FILTER (WHERE kind = 'click'), coalesce(sum(dwell_ms), 0), count(*) FILTER (WHERE kind = 'dwell'), count(*)
    FROM fresh GROUP BY 1, 2, 3, 4
    ON CONFLICT (experiment_id, arm, user_id, day) DO UPDATE SET impressions = impressions + excluded.impressions,
      clicks = clicks + excluded.clicks, dwell_ms = dwell_ms + excluded.dwell_ms,
      dwell_events = dwell_events + excluded.dwell_events, events = events + excluded.events`);
  await c.run(`INSERT INTO arm_positions (experiment_id, arm, position, sponsored, impressions, clicks)
    SELECT experiment_id, arm, position, ps[position], count(*) FILTER (WHERE kind = 'impression'), count(*) FILTER (WHERE kind = 'click')
    FROM (SELECT *, unnest(positions) AS position FROM fresh WHERE kind <> 'dwell') GROUP BY 1, 2, 3, 4
    ON CONFLICT (experiment_id, arm, position, sponsored) DO UPDATE SET impressions = impressions + excluded.impressions,
      clicks = clicks + excluded.clicks`);
  await c.run("DELETE FROM stage");
  await c.run("COMMIT");
}

async function benchDuckDb(root: string): Promise<Row> {
  const file = join(root, "events.duckdb");
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  try {
    await c.run(duckSchema());
    await c.run(
      "CREATE TABLE stage (client_event_id VARCHAR, served_id VARCHAR, kind VARCHAR, pos VARCHAR, dwell_ms INTEGER)",
    );
    await c.run(generation("duck").pages("A", "append", 0, APPEND_PAGES - 1));
    const single: number[] = [];
    for (let k = 0; k < BATCHES; k++) single.push(await time(() => duckAppend(c, batchOf("s", k))));
    progress(`duckdb: single writer median ${median(single).toFixed(1)} ms a batch`);
    const loadS = await loadIn((sql) => c.run(sql), "duck");
    await c.run("CHECKPOINT");
    const runs: number[] = [];
    for (let i = 0; i < 5; i++)
      runs.push(
        await time(async () => {
          const read = async (sql: string, params: string[]) =>
            (await c.runAndReadAll(sql, params)).getRowObjectsJS();
          const arms = (await read(ARMS_SQL, ["load"])).map((r) => String(r.arm));
          const perArm = [];
          for (const arm of arms) perArm.push({ arm, rows: await read(ARM_SQL, ["load", arm]) });
          return toAggregates("load", perArm, await read(ARM_POSITIONS_SQL, ["load"]));
        }),
      );
    return {
      store: "DuckDB 1.5 (file)",
      append1: `${median(single).toFixed(1)} ms (${rate(BATCH, median(single))})`,
      append2: "n/a: one writer process per file",
      loadS,
      aggMs: median(runs),
      aggMsRuns: runs,
      disk: mib(statSync(file).size),
    };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const root = mkdtempSync(join(tmpdir(), "bench-event-stores-"));
try {
  progress(`${EVENTS.toLocaleString()} events, batches of ${BATCH}`);
  const rows = [await benchPostgres(root), await benchDuckDb(root)];
  console.log(
    `\nEvent stores: ${EVENTS.toLocaleString()} events (100k users, 14 days, 2 arms, 10 positions), batches of ${BATCH}\n`,
  );
  console.log(
    "| store | append, 1 writer (median batch) | append, 2 writers | generate + rollups | aggregates() median (5 runs) | disk |",
  );
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const r of rows)
    console.log(
      `| ${r.store} | ${r.append1} | ${r.append2} | ${r.loadS.toFixed(0)} s | ${r.aggMs.toFixed(0)} ms (${r.aggMsRuns.map((x) => x.toFixed(0)).join(", ")}) | ${r.disk} |`,
    );
} finally {
  rmSync(root, { recursive: true, force: true });
}
