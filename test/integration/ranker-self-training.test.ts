import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { RankerTrainingRun } from "../../src/api/services.js";
import { startApp, type App } from "../../src/app/start-app.js";
import { TRAINING_RUNS_FILE } from "../../src/app/training-runs.js";
import { fitRanker } from "../../src/offline/training/train-ranker.js";
import type { TrainingRow } from "../../src/offline/training/training-rows.js";
import { hashKey } from "../../src/platform/config/api-keys.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { seededRandom } from "../../src/platform/seeded-random.js";
import { FEATURES } from "../../src/recommend/rank/ranking-features.js";
import { operation } from "../helpers/operations.js";

const ADMIN = "admin-key-for-self-training";
const TRAINING = operation("ranker-training.graphql");
const SERVING = `{ models { kind id serving } status { ranker { kind modelId } } }`;

/** A ranker that knows nothing: fitted on random labels over random values of two weak features. */
function noiseRanker(dir: string): string {
  const random = seededRandom(3);
  const rows = Array.from({ length: 240 }, (_, i): TrainingRow => ({
    userId: `u${i % 24}`,
    videoId: `v${i}`,
    label: random() < 0.3 ? 1 : 0,
    features: FEATURES.map(() => random()),
    kinds: ["random"],
    pairInputs: new Float32Array(0),
  }));
  const out = join(dir, "model.onnx");
  fitRanker(rows, out, loadConfig().weaviate.cacheDir, silentLogger, {}, (n) =>
    ["logPlays", "freshness"].includes(n),
  );
  return out;
}

const show = (run: RankerTrainingRun) =>
  `${run.decision} (${run.users.train} train / ${run.users.heldOut} held-out users, ${run.rows.train} / ${run.rows.heldOut} rows): ` +
  run.figures
    .map((f) => `${f.kind} ${f.candidate} vs ${f.serving} (±${f.differenceStdError}, ${f.users} users)`)
    .join("; ");

// The whole service in-process on the demo catalogue (ingested at startup through the real pipeline),
// real scikit-learn training, real registry activation, real HTTP.
describe("ranker training from the live store: scheduled, gated, recorded", () => {
  const root = mkdtempSync(join(tmpdir(), "tiktok-recs-self-training-"));
  const registry = join(root, "registry");
  let app: App;
  let base: string;

  const gql = async (query: string, operationName?: string) => {
    const res = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": ADMIN },
      body: JSON.stringify({ query, operationName }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (res.status !== 200 || body.errors)
      throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const servingRanker = async () => {
    const data = await gql(SERVING);
    return data.models.find((m: any) => m.kind === "RANKER" && m.serving)?.id ?? null;
  };

  before(async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: "0",
      ROLE: "all",
      WEAVIATE_DATA_DIR: join(root, "weaviate"),
      API_KEYS: `ops:admin:${hashKey(ADMIN)}`,
      RATE_LIMIT_ADMIN: "off",
      ADMISSION_MAX_CONCURRENCY: "0",
      EVENTS_DATABASE_URL: "off",
      COHORT_REFRESH_SCHEDULE: "off",
      RECOMMEND_CACHE_SECONDS: "0",
      RERANK_MODEL: "off",
      DEMO_CATALOGUE: "auto",
      MODEL_REGISTRY_DIR: registry,
      // The serving model at startup: a ranker that learned nothing, so a real one must beat it.
      RANKER_MODEL: noiseRanker(join(root, "noise")),
      RANKER_TRAINING_SCHEDULE: "off",
      RANKER_TRAINING_MIN_USERS: "20",
    };
    delete env.WEAVIATE_URL;
    app = await startApp(loadConfig(env), silentLogger);
    base = app.server.url.replace(/\/graphql$/, "");
  });
  after(async () => {
    await app?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("skips, with the reason, below RANKER_TRAINING_MIN_USERS", async () => {
    const run = await app.rankerTraining!.run("admin", "test-min-users", { minUsers: 100_000 });
    assert.equal(run.decision, "skipped", run.reason);
    assert.match(run.reason, /100000 needed \(RANKER_TRAINING_MIN_USERS\)/);
    assert.ok(run.users.eligible >= 20, `the demo catalogue has users with a past: ${run.reason}`);
  });

  it("a scheduled run promotes a candidate that beats the serving ranker on every kind", async () => {
    const before = await servingRanker();
    assert.ok(before, "the noise ranker serves at the start");
    const fire = new Date(Date.now() + 3000);
    const expr = `${fire.getSeconds()} ${fire.getMinutes()} ${fire.getHours()} * * *`;
    const task = app.rankerTraining!.schedule({}, expr);
    let run: RankerTrainingRun | undefined;
    try {
      for (let i = 0; i < 600 && !run; i++) {
        await new Promise((r) => setTimeout(r, 500));
        const data = await gql(TRAINING, "RankerTrainingRuns");
        run = data.rankerTrainingRuns.find((r: any) => r.trigger === "schedule" && r.decision !== "running");
      }
    } finally {
      task.stop();
      await app.rankerTraining!.idle();
    }
    // The polling above went over HTTP every 500 ms throughout: the service kept answering while it trained.
    assert.ok(run, "the scheduled firing ran and finished");
    console.log(`scheduled run: ${show(run)}; ${run.reason}`);
    assert.equal(run.decision, "promoted", run.reason);
    assert.equal(run.servingBefore, before);
    assert.equal(run.figures.length, 3);
    for (const f of run.figures) {
      assert.ok(f.users > 0 && f.passed, `${f.kind}: ${f.candidate} vs ${f.serving}`);
      assert.ok(f.candidate > f.serving, `${f.kind}: the real ranker beats the noise ranker`);
    }
    assert.ok(run.users.train > 0 && run.users.heldOut > 0 && run.rows.heldOut > 0);
    // Served without a restart: the registry lists it as serving and status names it.
    assert.equal(await servingRanker(), run.candidate);
  });

  it("refuses a worse candidate, keeps the serving ranker, and records why", async () => {
    const serving = await servingRanker();
    // Worse on purpose: the candidate may read only the video's post time within the candidates.
    const pending = app.rankerTraining!.run("admin", "test-worse", { features: ["freshness"] });
    // Meanwhile the admin mutation answers that a run is in progress rather than starting another.
    const busy = (await gql(TRAINING, "TrainRanker")).trainRanker;
    assert.equal(busy.started, false);
    assert.match(busy.message, /in progress/);
    const run = await pending;
    console.log(`worse run: ${show(run)}; ${run.reason}`);
    assert.equal(run.decision, "refused", run.reason);
    assert.equal(run.candidate, null);
    assert.ok(run.figures.some((f) => !f.passed));
    assert.match(run.reason, /^candidate < serving - 0.005 on /);
    assert.equal(await servingRanker(), serving, "the serving ranker stays");
  });

  it("records every run, queryable and kept on disk; the admin mutation starts one", async () => {
    const data = await gql(TRAINING, "RankerTrainingRuns");
    const runs: RankerTrainingRun[] = data.rankerTrainingRuns;
    assert.deepEqual(
      runs.slice(0, 3).map((r) => r.decision),
      ["refused", "promoted", "skipped"],
    );
    const lines = readFileSync(join(registry, TRAINING_RUNS_FILE), "utf8").trim().split("\n");
    assert.equal(lines.length, 3);
    // The admin mutation starts a run of its own once none is in progress.
    const started = (await gql(TRAINING, "TrainRanker")).trainRanker;
    assert.equal(started.started, true, started.message);
    await app.rankerTraining!.idle();
    const last = (await gql(TRAINING, "RankerTrainingRuns")).rankerTrainingRuns[0];
    assert.equal(last.id, started.runId);
    assert.equal(last.trigger, "admin");
    assert.notEqual(last.decision, "failed", last.reason);
  });
});
