import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { hashKey } from "../../src/platform/config/api-keys.js";
import { percentile } from "../../bench/harness/load-driver.js";
import { startServerProcess, type ServerProcess } from "../helpers/server-process.js";

const KEYS = {
  quiet: "quiet-partner-key",
  noisy: "noisy-partner-key",
  capped: "capped-partner-key",
  ops: "ops-admin-key",
};
const FEED =
  'query Feed($first: Int = 10) { recommendations(userId: "demo-user-skater-pt", first: $first) { __typename } }';

interface Answer {
  status: number;
  ms: number;
  retryAfter: string | null;
  code?: string;
  message?: string;
  typename?: string;
}

// The service as `npm start` runs it, twice, with settings small enough for a test to reach:
// `fair` gives partners 100 points per second (10 feed pages) and refuses operations over 100
// points, with no shedding so only the budgets act; `small` lets 2 expensive operations run at
// once, the next waiting 20 ms at most.
describe("fair use and overload protection (server processes)", () => {
  let fair: ServerProcess;
  let small: ServerProcess;
  let base: string;
  let smallBase: string;
  const common = {
    API_KEYS: Object.entries(KEYS)
      .map(([name, key]) => `${name}:${name === "ops" ? "admin" : "partner"}:${hashKey(key)}`)
      .join(","),
    RATE_LIMIT_ADMIN: "off",
    COHORT_REFRESH_SCHEDULE: "off",
    RECOMMEND_CACHE_SECONDS: "0", // every request runs the pipeline
  };
  before(async () => {
    [fair, small] = await Promise.all([
      startServerProcess({
        ...common,
        RATE_LIMIT_PARTNER: "100/100",
        QUERY_MAX_COST: "100",
        ADMISSION_MAX_CONCURRENCY: "0",
      }),
      startServerProcess({
        ...common,
        ADMISSION_MAX_CONCURRENCY: "2",
        ADMISSION_MIN_CONCURRENCY: "2",
        ADMISSION_QUEUE_MS: "20",
      }),
    ]);
    base = fair.url.replace(/\/graphql$/, "");
    smallBase = small.url.replace(/\/graphql$/, "");
  });
  after(async () => {
    for (const server of [fair, small]) {
      if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
      await server?.exited;
    }
  });

  const ask = async (
    key: string,
    query = FEED,
    variables: Record<string, unknown> = {},
    at = base,
  ): Promise<Answer> => {
    const started = performance.now();
    const res = await fetch(`${at}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": key },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as {
      data?: { recommendations?: { __typename: string } };
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    return {
      status: res.status,
      ms: performance.now() - started,
      retryAfter: res.headers.get("retry-after"),
      code: body.errors?.[0]?.extensions?.code,
      message: body.errors?.[0]?.message,
      typename: body.data?.recommendations?.__typename,
    };
  };
  /** Request i goes out at i/rate s whatever the answers do (open loop), for `seconds`. */
  const openLoop = async (key: string, rate: number, seconds: number) => {
    const pending: Promise<Answer>[] = [];
    const start = performance.now();
    for (let i = 0; i < rate * seconds; i++) {
      const wait = start + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      pending.push(ask(key));
    }
    return Promise.all(pending);
  };
  const metric = async (series: string, at = base) => {
    const text = await (await fetch(`${at}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`${series} `));
    return { text, value: line === undefined ? 0 : Number(line.slice(series.length + 1)) };
  };

  it("answers a partner over its budget 429 with Retry-After and RATE_LIMITED, counted under its key name", async () => {
    // Four pages of 50 at once: 200 points asked of a full bucket of 100.
    const answers = await Promise.all([1, 2, 3, 4].map(() => ask(KEYS.capped, FEED, { first: 50 })));
    const pages = answers.filter((a) => a.status === 200);
    assert.equal(pages.length, 2);
    for (const page of pages) assert.equal(page.typename, "RecommendationPage");
    const limited = answers.filter((a) => a.status !== 200);
    assert.equal(limited.length, 2);
    const second = limited[0]!;
    assert.equal(second.status, 429);
    assert.equal(second.code, "RATE_LIMITED");
    assert.match(second.message!, /"capped" is over its budget of 100 points per second/);
    const retry = Number(second.retryAfter);
    assert.ok(Number.isInteger(retry) && retry === 1, `Retry-After ${second.retryAfter}`);
    const { text, value } = await metric('api_key_requests_total{key="capped",outcome="limited"}');
    assert.equal(value, 2);
    assert.match(text, /api_key_requests_total\{key="capped",outcome="admitted"\} 2\n/);
    assert.match(text, /api_key_points_total\{key="capped"\} 100\n/);
    for (const key of Object.values(KEYS)) assert.ok(!text.includes(key), "never the key itself");
  });

  it("refuses an operation over QUERY_MAX_COST before it runs", async () => {
    const three = `{ ${[1, 2, 3].map((i) => `p${i}: recommendations(userId: "demo-user-skater-pt", first: 50) { __typename }`).join(" ")} }`;
    const answer = await ask(KEYS.ops, three);
    assert.equal(answer.status, 400);
    assert.equal(answer.code, "QUERY_TOO_COSTLY");
    assert.match(answer.message!, /costs 150 points, over the limit of 100/);
  });

  it("keeps a quiet partner's p95 while a noisy one sends 10x its budget", async () => {
    for (let i = 0; i < 5; i++) await ask(KEYS.quiet); // warm-up
    await sleep(1_000); // its bucket refills
    // 4 pages a second is 40 of the quiet partner's 100 points; the noisy one asks for 1,000.
    const alone = await openLoop(KEYS.quiet, 4, 6);
    await sleep(1_000);
    const [beside, noisy] = await Promise.all([openLoop(KEYS.quiet, 4, 6), openLoop(KEYS.noisy, 100, 6)]);
    for (const phase of [alone, beside])
      assert.deepEqual(
        phase.filter((a) => a.status !== 200),
        [],
        "the quiet partner is never limited or shed",
      );
    const p95Alone = percentile(
      alone.map((a) => a.ms),
      95,
    );
    const p95Beside = percentile(
      beside.map((a) => a.ms),
      95,
    );
    // Generous for a shared 2-core box, yet the noisy partner's 100 feed pages a second, if they ran,
    // would queue the quiet one's for seconds.
    assert.ok(
      p95Beside <= 2 * p95Alone + 100,
      `quiet p95 ${p95Alone.toFixed(0)} ms alone, ${p95Beside.toFixed(0)} ms beside the noisy partner`,
    );
    const limited = noisy.filter((a) => a.status === 429).length;
    assert.ok(
      limited > noisy.length * 0.8,
      `most of the noisy partner's ${noisy.length} are limited (${limited})`,
    );
  });

  it("sheds a burst far past capacity with fast 503s and Retry-After, completes the admitted, never sheds /health", async () => {
    const burst = Array.from({ length: 60 }, () => ask(KEYS.ops, FEED, {}, smallBase));
    const health = fetch(`${smallBase}/health/live`).then((r) => r.status);
    const answers = await Promise.all(burst);
    assert.equal(await health, 200);
    const shed = answers.filter((a) => a.status === 503);
    const admitted = answers.filter((a) => a.status === 200);
    assert.equal(shed.length + admitted.length, answers.length, "only 200s and 503s");
    assert.ok(shed.length >= 20, `${shed.length} of 60 shed with 2 slots and a 20 ms queue`);
    assert.ok(admitted.length >= 2, `${admitted.length} admitted`);
    for (const a of admitted) assert.equal(a.typename, "RecommendationPage");
    for (const a of shed) {
      assert.equal(a.code, "OVERLOADED");
      assert.equal(a.retryAfter, "1");
    }
    const shedP50 = percentile(
      shed.map((a) => a.ms),
      50,
    );
    const admittedMax = Math.max(...admitted.map((a) => a.ms));
    assert.ok(shedP50 < 2_000, `shed answers are fast: p50 ${shedP50.toFixed(0)} ms`);
    assert.ok(shedP50 < admittedMax, `a shed answer (p50 ${shedP50.toFixed(0)} ms) beats the queue`);
    const { value } = await metric('api_key_requests_total{key="ops",outcome="shed"}', smallBase);
    assert.equal(value, shed.length);
  });
});
