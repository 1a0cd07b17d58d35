/**
 * The report's sums, read from the rollups only (their size is users x days, not events), in
 * SQL that PostgreSQL and DuckDB both run (the store comparison bench runs these same strings).
 * Moments are float8: a user's dwell ms squared, summed over 10^5 users, passes bigint's range.
 */

/** The arms of experiment $1, by a skip scan of the primary key (a few index probes, not a scan). */
export const ARMS_SQL = `
WITH RECURSIVE a(arm) AS (
  SELECT min(arm) FROM arm_user_days WHERE experiment_id = $1
  UNION ALL
  SELECT (SELECT min(arm) FROM arm_user_days WHERE experiment_id = $1 AND arm > a.arm) FROM a WHERE a.arm IS NOT NULL
)
SELECT arm FROM a WHERE arm IS NOT NULL`;

/** n, Σx, Σy, Σx², Σy², Σxy over rows whose y > 0, as columns `<p>_n` ... `<p>_xy`. */
function moments(p: string, x: string, y: string): string {
  const when = (v: string) => `sum(CASE WHEN ${y} > 0 THEN ${v} ELSE 0 END)`;
  return [
    `count(*) FILTER (WHERE ${y} > 0) AS ${p}_n`,
    `${when(x)} AS ${p}_x`,
    `${when(y)} AS ${p}_y`,
    `${when(`${x} * ${x}`)} AS ${p}_xx`,
    `${when(`${y} * ${y}`)} AS ${p}_yy`,
    `${when(`${x} * ${y}`)} AS ${p}_xy`,
  ].join(",\n    ");
}

/**
 * f(X, Y) = [Y > 0] (1, X, Y, X², Y², XY) of a user's cumulative totals X, Y changes at each of
 * their active days by f(cum) - f(cum - today); summing those changes per day and running the
 * sum over days gives, at each day's end, the moments of every user's totals so far, users
 * silent that day included with what they had.
 */
function deltas(p: string, cx: string, cy: string, x: string, y: string): string {
  // One CASE per moment: active before (prev y > 0): the change of f; newly active: f(cum); else 0.
  const [px, py] = [`(${cx} - ${x})`, `(${cy} - ${y})`];
  const d = (name: string, was: string, now: string) =>
    `sum(CASE WHEN ${py} > 0 THEN ${was} WHEN ${cy} > 0 THEN ${now} ELSE 0 END) AS d_${p}_${name}`;
  return [
    d("n", "0", "1"),
    d("x", x, cx),
    d("y", y, cy),
    d("xx", `${cx} * ${cx} - ${px} * ${px}`, `${cx} * ${cx}`),
    d("yy", `${cy} * ${cy} - ${py} * ${py}`, `${cy} * ${cy}`),
    d("xy", `${cx} * ${cy} - ${px} * ${py}`, `${cx} * ${cy}`),
  ].join(",\n    ");
}

const CUMULATIVE = [
  "users",
  ...["ctr", "dwell"].flatMap((p) => ["n", "x", "y", "xx", "yy", "xy"].map((m) => `${p}_${m}`)),
];

/**
 * One arm ($2) of experiment $1, one row per day it was active: that day's per-user moments
 * (`ctr_*`, `dwell_*`, users_served, pages_served, events) and the cumulative look at the day's end
 * (`cum_*`). One scan of the arm's rows in key order feeds both; the store runs one arm per
 * connection, side by side.
 */
export const ARM_SQL = `
WITH c AS (
  SELECT day, pages, events,
    clicks::float8 AS clicks, impressions::float8 AS impressions,
    dwell_ms::float8 AS dwell_ms, dwell_events::float8 AS dwell_events,
    sum(clicks::float8) OVER w AS cx, sum(impressions::float8) OVER w AS cy,
    sum(dwell_ms::float8) OVER w AS dx, sum(dwell_events::float8) OVER w AS dy,
    row_number() OVER w AS k
  FROM arm_user_days WHERE experiment_id = $1 AND arm = $2
  WINDOW w AS (PARTITION BY user_id ORDER BY day ROWS UNBOUNDED PRECEDING)
), d AS (
  SELECT day,
    count(*) FILTER (WHERE pages > 0) AS users_served,
    sum(pages)::float8 AS pages_served,
    sum(events)::float8 AS events,
    ${moments("ctr", "clicks", "impressions")},
    ${moments("dwell", "dwell_ms", "dwell_events")},
    sum(CASE WHEN k = 1 THEN 1 ELSE 0 END) AS d_users,
    ${deltas("ctr", "cx", "cy", "clicks", "impressions")},
    ${deltas("dwell", "dx", "dy", "dwell_ms", "dwell_events")}
  FROM c GROUP BY day
)
SELECT day::text AS day, users_served::float8 AS users_served, pages_served, events,
  ${["ctr", "dwell"].flatMap((p) => ["n", "x", "y", "xx", "yy", "xy"].map((m) => `${p}_${m}::float8 AS ${p}_${m}`)).join(", ")},
  ${CUMULATIVE.map((c) => `sum(d_${c}) OVER o::float8 AS cum_${c}`).join(",\n  ")}
FROM d
WINDOW o AS (ORDER BY day ROWS UNBOUNDED PRECEDING)
ORDER BY day`;

export const ARM_POSITIONS_SQL = `
SELECT arm, position::int AS position, sponsored, impressions::float8 AS impressions, clicks::float8 AS clicks
FROM arm_positions WHERE experiment_id = $1 ORDER BY arm, position, sponsored`;
