import type pg from "pg";
import type {
  ArmLook,
  ArmMoments,
  ExperimentAggregates,
  PositionSplit,
  RatioMoments,
} from "../domain/experiment-aggregates.js";
import { ARM_POSITIONS_SQL, ARM_SHARD_SQL, ARM_SQL, ARMS_SQL } from "./queries/aggregates-sql.js";

export type Row = Record<string, unknown>;

/**
 * One query per arm and shard of its users, side by side on the pool: a window over users does
 * not run in parallel by itself, and with a 90/10 split one arm holds nearly all the rows, so
 * `shards` splits each arm's users for the cores the database has.
 */
export async function experimentAggregates(
  pool: pg.Pool,
  experimentId: string,
  shards = 1,
): Promise<ExperimentAggregates> {
  const arms = (await pool.query<{ arm: string }>(ARMS_SQL, [experimentId])).rows.map((r) => r.arm);
  const armRows = (arm: string) =>
    shards <= 1
      ? pool.query<Row>(ARM_SQL, [experimentId, arm]).then((r) => r.rows)
      : Promise.all(
          Array.from({ length: shards }, (_, s) =>
            pool.query<Row>(ARM_SHARD_SQL, [experimentId, arm, shards, s]).then((r) => r.rows),
          ),
        ).then(mergeShards);
  const [positions, ...perArm] = await Promise.all([
    pool.query<Row>(ARM_POSITIONS_SQL, [experimentId]),
    ...arms.map(armRows),
  ]);
  return toAggregates(
    experimentId,
    arms.map((arm, i) => ({ arm, rows: perArm[i]! })),
    positions.rows,
  );
}

/**
 * One arm's per-day rows from its shards: a day's own sums add up over the shards that had it;
 * the cumulative `cum_*` columns add up over every shard, a shard silent that day counting with
 * its previous look (its users kept their totals).
 */
export function mergeShards(shards: Row[][]): Row[] {
  const days = [...new Set(shards.flatMap((rows) => rows.map((r) => String(r.day))))].sort();
  const last: (Row | undefined)[] = shards.map(() => undefined);
  const byDay = shards.map((rows) => new Map(rows.map((r) => [String(r.day), r])));
  return days.map((day) => {
    const merged: Row = { day };
    byDay.forEach((rows, s) => {
      const own = rows.get(day);
      if (own) last[s] = own;
      for (const [key, value] of Object.entries(last[s] ?? {})) {
        if (key === "day" || (!own && !key.startsWith("cum_"))) continue;
        merged[key] = num(merged[key]) + num(value);
      }
    });
    return merged;
  });
}

/**
 * Rows as PostgreSQL or DuckDB return them (numbers, or bigints from DuckDB) to the report's
 * shapes. A look exists for every day of the experiment: an arm silent on a day another arm was
 * active keeps its previous look.
 */
export function toAggregates(
  experimentId: string,
  arms: { arm: string; rows: Row[] }[],
  positions: Row[],
): ExperimentAggregates {
  const allDays = [...new Set(arms.flatMap((a) => a.rows.map((r) => String(r.day))))].sort();
  const looks: ArmLook[] = [];
  for (const { arm, rows } of arms) {
    const byDay = new Map(rows.map((r) => [String(r.day), r]));
    let last: Row | undefined;
    for (const day of allDays) {
      last = byDay.get(day) ?? last;
      if (last) looks.push({ arm, day, usersServed: num(last.cum_users), ...armMoments(last, "cum_") });
    }
  }
  return {
    experimentId,
    days: arms.flatMap(({ arm, rows }) =>
      rows.map((r) => ({
        arm,
        day: String(r.day),
        usersServed: num(r.users_served),
        pagesServed: num(r.pages_served),
        ...armMoments(r, ""),
      })),
    ),
    looks,
    positions: positions.map((r): PositionSplit => ({
      arm: String(r.arm),
      position: num(r.position),
      sponsored: Boolean(r.sponsored),
      impressions: num(r.impressions),
      clicks: num(r.clicks),
    })),
    events: arms.reduce((sum, a) => sum + a.rows.reduce((s, r) => s + num(r.events), 0), 0),
  };
}

function armMoments(r: Row, prefix: string): ArmMoments {
  return { ctr: ratio(r, `${prefix}ctr`), dwell: ratio(r, `${prefix}dwell`) };
}

function ratio(r: Row, p: string): RatioMoments {
  return {
    users: num(r[`${p}_n`]),
    sumX: num(r[`${p}_x`]),
    sumY: num(r[`${p}_y`]),
    sumXX: num(r[`${p}_xx`]),
    sumYY: num(r[`${p}_yy`]),
    sumXY: num(r[`${p}_xy`]),
  };
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
