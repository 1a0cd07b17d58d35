import type pg from "pg";
import type {
  ArmLook,
  ArmMoments,
  ExperimentAggregates,
  PositionSplit,
  RatioMoments,
} from "../domain/experiment-aggregates.js";
import { ARM_POSITIONS_SQL, ARM_SQL, ARMS_SQL } from "./queries/aggregates-sql.js";

export type Row = Record<string, unknown>;

/** One query per arm, side by side on the pool (a window over users does not run in parallel by itself). */
export async function experimentAggregates(
  pool: pg.Pool,
  experimentId: string,
): Promise<ExperimentAggregates> {
  const arms = (await pool.query<{ arm: string }>(ARMS_SQL, [experimentId])).rows.map((r) => r.arm);
  const [positions, ...perArm] = await Promise.all([
    pool.query<Row>(ARM_POSITIONS_SQL, [experimentId]),
    ...arms.map((arm) => pool.query<Row>(ARM_SQL, [experimentId, arm])),
  ]);
  return toAggregates(
    experimentId,
    arms.map((arm, i) => ({ arm, rows: perArm[i]!.rows })),
    positions.rows,
  );
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
