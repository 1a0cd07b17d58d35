import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startApp, type App } from "../../src/app/start-app.js";
import { modelLayout } from "../../src/embed/model-files.js";
import { fitRanker } from "../../src/offline/training/train-ranker.js";
import {
  randomCrossEncoder,
  RANDOM_CROSS_ENCODERS,
} from "../../src/offline/training/random-cross-encoder.js";
import type { TrainingRow } from "../../src/offline/training/training-rows.js";
import { hashKey } from "../../src/platform/config/api-keys.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { REPO_ROOT } from "../../src/platform/paths.js";
import { exportVenvPython, runPython } from "../../src/platform/python-venv.js";
import { seededRandom } from "../../src/platform/seeded-random.js";
import {
  registerCrossEncoderFile,
  registerRankerFile,
} from "../../src/recommend/registry/configured-models.js";
import { FEATURES } from "../../src/recommend/rank/ranking-features.js";
import { operation } from "../helpers/operations.js";

const ADMIN = "admin-key-for-model-tests";
const USERS = ["demo-user-skater-pt", "demo-user-1", "demo-user-2"];
const FEED = `query Feed($userId: ID!) { recommendations(userId: $userId, first: 10) { __typename
  ... on RecommendationPage { reranked models { ranker crossEncoder } items { video { videoId } } } } }`;
const STATUS = `{ status { ranker { kind modelId reason } reranker { enabled modelId } } }`;

/** A small ranker over `features`, fitted by tools/train_ranker.py on rows labelled by `label`. */
function tinyRanker(dir: string, features: string[], label: (f: number[]) => boolean, seed: number): string {
  const random = seededRandom(seed);
  const rows = Array.from({ length: 240 }, (_, i): TrainingRow => {
    const values = FEATURES.map(() => random());
    const positive = label(values);
    // Built whole, then returned: the row type grows fields (kinds, pair inputs) that fitRanker may read.
    const row = {
      userId: `u${i % 24}`,
      videoId: `v${i}`,
      label: positive ? (1 as const) : (0 as const),
      features: values,
      kinds: positive ? [] : ["random"],
      pairInputs: new Float32Array(0),
    };
    return row;
  });
  const out = join(dir, "model.onnx");
  fitRanker(rows, out, loadConfig().weaviate.cacheDir, silentLogger, {}, (name) => features.includes(name));
  return out;
}

/** A second random-weight cross-encoder (another seed), cached beside the first. */
function otherCrossEncoder(cacheDir: string): string {
  const target = join(cacheDir, "models", "random-cross-encoder", "tiny-seed-8.onnx");
  if (existsSync(target)) return target;
  runPython(exportVenvPython(cacheDir, silentLogger), [
    join(REPO_ROOT, "tools", "make_cross_encoder_onnx.py"),
    "--out",
    target,
    "--seed",
    "8",
    ...Object.entries(RANDOM_CROSS_ENCODERS.tiny).flatMap(([k, v]) => [`--${k}`, String(v)]),
  ]);
  return target;
}

/** A copy of a registry entry under another id, its manifest edited (a hand-altered artefact). */
function copyEntry(registry: string, kind: string, from: string, to: string, edit: (m: any) => void): void {
  cpSync(join(registry, kind, from), join(registry, kind, to), { recursive: true });
  const path = join(registry, kind, to, "manifest.json");
  const manifest = JSON.parse(readFileSync(path, "utf8"));
  manifest.id = to;
  edit(manifest);
  writeFileSync(path, JSON.stringify(manifest));
}

// The whole service in-process (real Weaviate, real encoder, real ONNX rankers and cross-encoders)
// behind real HTTP, with several clients asking for recommendations while models are switched.
describe("model registry: hot activation and rollback under load, refusals, restart", () => {
  const root = mkdtempSync(join(tmpdir(), "tiktok-recs-registry-"));
  const registry = join(root, "registry");
  const config = loadConfig();
  const encoderDir = modelLayout(config.models.dir).dir;
  let app: App;
  let base: string;
  let rankerA: string;
  let ids: { rankerB: string; ceB: string; wrongCe: string } = { rankerB: "", ceB: "", wrongCe: "" };
  let env: NodeJS.ProcessEnv;

  const gql = async (query: string, variables: Record<string, unknown> = {}, operationName?: string) => {
    const res = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": ADMIN },
      body: JSON.stringify({ query, variables, operationName }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (res.status !== 200 || body.errors)
      throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const models = operation("models.graphql");
  const change = async (op: "ActivateModel" | "RollbackModel", variables: Record<string, unknown>) => {
    const data = await gql(models, variables, op);
    return op === "ActivateModel" ? data.activateModel : data.rollbackModel;
  };
  const status = async () => (await gql(STATUS)).status;

  before(async () => {
    const cacheDir = config.weaviate.cacheDir;
    // Two genuinely different rankers on different features, and two cross-encoders.
    rankerA = tinyRanker(join(root, "ranker-a"), ["content", "affinity", "freshness"], (f) => f[0]! > 0.5, 1);
    const rankerB = tinyRanker(
      join(root, "ranker-b"),
      ["content", "logPlays", "popularity"],
      (f) => f[3]! + f[7]! > 1,
      2,
    );
    const ceA = randomCrossEncoder(cacheDir, "tiny", silentLogger);
    const ceB = otherCrossEncoder(cacheDir);
    ids = {
      rankerB: (await registerRankerFile(registry, rankerB)).manifest.id,
      ceB: (await registerCrossEncoderFile(registry, ceB, encoderDir)).manifest.id,
      // The encoder: the right inputs, but a [pairs, tokens, 384] hidden state instead of one logit.
      wrongCe: (await registerCrossEncoderFile(registry, modelLayout(config.models.dir).onnx.q8, encoderDir))
        .manifest.id,
    };
    copyEntry(registry, "ranker", ids.rankerB, "altered-file", () => {});
    const altered = join(registry, "ranker", "altered-file", "model.onnx");
    const bytes = readFileSync(altered);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(altered, bytes);
    copyEntry(registry, "ranker", ids.rankerB, "unknown-features", (m) => {
      m.features = ["content", "watchTimeShare", "popularity"];
    });
    // Known features, but fewer than the model's input takes: the probe run fails.
    copyEntry(registry, "ranker", ids.rankerB, "wrong-width", (m) => {
      m.features = ["content", "logPlays"];
    });
    // Bytes that match their manifest but are no ONNX model.
    copyEntry(registry, "ranker", ids.rankerB, "not-onnx", (m) => {
      const garbage = Buffer.from("not an onnx model");
      writeFileSync(join(registry, "ranker", "not-onnx", "model.onnx"), garbage);
      const file = m.files.find((f: any) => f.name === "model.onnx");
      file.sha256 = createHash("sha256").update(garbage).digest("hex");
      file.bytes = garbage.length;
    });
    env = {
      ...process.env,
      PORT: "0",
      WEAVIATE_DATA_DIR: join(root, "weaviate"),
      API_KEYS: `ops:admin:${hashKey(ADMIN)}`,
      RATE_LIMIT_ADMIN: "off",
      ADMISSION_MAX_CONCURRENCY: "0",
      EVENTS_DATABASE_URL: "off",
      COHORT_REFRESH_SCHEDULE: "off",
      RECOMMEND_CACHE_SECONDS: "0",
      RERANK_BUDGET_MS: "500",
      MODEL_REGISTRY_DIR: registry,
      RANKER_MODEL: rankerA,
      RERANK_MODEL: ceA,
    };
    delete env.WEAVIATE_URL;
    app = await startApp(loadConfig(env), silentLogger);
    base = app.server.url.replace(/\/graphql$/, "");
  });
  after(async () => {
    await app?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const servingIds = async () => {
    const { ranker, reranker } = await status();
    return { ranker: ranker.modelId as string, crossEncoder: reranker.modelId as string };
  };

  it("registers the configured models at startup and lists every model with its manifest and which serves", async () => {
    const listed = (await gql(models, {}, "Models")).models as any[];
    const serving = await servingIds();
    const byKind = (kind: string) => listed.filter((m) => m.kind === kind);
    assert.ok(
      byKind("ENCODER").some((m) => m.serving),
      "the provisioned encoder is listed and serves",
    );
    assert.deepEqual(
      byKind("RANKER")
        .filter((m) => m.serving)
        .map((m) => m.id),
      [serving.ranker],
    );
    assert.deepEqual(
      byKind("CROSS_ENCODER")
        .filter((m) => m.serving)
        .map((m) => m.id),
      [serving.crossEncoder],
    );
    const b = listed.find((m) => m.id === ids.rankerB);
    assert.equal(b.serving, false);
    assert.match(b.files.find((f: any) => f.name === "model.onnx").sha256, /^[0-9a-f]{64}$/);
    assert.ok(
      b.evaluation.some((e: any) => e.name.startsWith("validationMeanUserAuc.")),
      "its figures are listed",
    );
    assert.match(b.trainedOn, /rows/);
  });

  it("switches the ranker and the cross-encoder and back under load, with no failed request", async () => {
    const before = await servingIds();
    type Answer = {
      started: number;
      ended: number;
      ranker?: string;
      crossEncoder?: string;
      reranked?: number;
      error?: string;
    };
    const answers: Answer[] = [];
    let running = true;
    const client = async (k: number) => {
      for (let i = 0; running; i++) {
        const started = performance.now();
        try {
          const page = (await gql(FEED, { userId: USERS[(i + k) % USERS.length] })).recommendations;
          if (page.__typename !== "RecommendationPage") throw new Error(page.__typename);
          answers.push({ started, ended: performance.now(), reranked: page.reranked, ...page.models });
        } catch (err) {
          answers.push({ started, ended: performance.now(), error: String(err) });
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    const answered = async (n: number) => {
      const target = answers.length + n;
      while (answers.length < target) await new Promise((r) => setTimeout(r, 20));
    };
    /** Runs the change while the load runs; answers to requests that began after it returned show `expect`. */
    const steps: { begun: number; at: number; field: "ranker" | "crossEncoder"; expect: string }[] = [];
    const step = async (field: "ranker" | "crossEncoder", run: () => Promise<any>, expect: string) => {
      await answered(12);
      const begun = performance.now();
      const result = await run();
      assert.equal(result.__typename, "ModelActivated", JSON.stringify(result));
      assert.equal(result.id, expect);
      steps.push({ begun, at: performance.now(), field, expect });
    };
    await step("ranker", () => change("ActivateModel", { kind: "RANKER", id: ids.rankerB }), ids.rankerB);
    assert.equal((await servingIds()).ranker, ids.rankerB, "status names the new ranker");
    const ready = (await (await fetch(`${base}/health/ready`)).json()) as any;
    assert.equal(ready.checks.ranker.detail, ids.rankerB, "readiness names it too");
    await step("ranker", () => change("RollbackModel", { kind: "RANKER" }), before.ranker);
    await step(
      "crossEncoder",
      () => change("ActivateModel", { kind: "CROSS_ENCODER", id: ids.ceB }),
      ids.ceB,
    );
    assert.equal((await servingIds()).crossEncoder, ids.ceB, "status names the new cross-encoder");
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, new RegExp(`^rerank_enabled\\{model="${ids.ceB}",provider="cpu"\\} 1$`, "m"));
    assert.match(
      metrics,
      new RegExp(`^rerank_enabled\\{model="${before.crossEncoder}",provider="cpu"\\} 0$`, "m"),
    );
    await step("crossEncoder", () => change("RollbackModel", { kind: "CROSS_ENCODER" }), before.crossEncoder);
    await answered(12);
    running = false;
    await Promise.all(clients);

    const failed = answers.filter((a) => a.error);
    assert.deepEqual(failed, [], `${failed.length} of ${answers.length} requests failed`);
    const early = answers.filter((a) => a.ended < steps[0]!.begun);
    assert.ok(early.length > 0, "answers before the first switch");
    for (const a of early) assert.deepEqual([a.ranker, a.crossEncoder], [before.ranker, before.crossEncoder]);
    // Requests that began after a switch returned, and ended before the next switch of that kind
    // began, ran on that switch's model.
    steps.forEach((s, k) => {
      const until = steps.slice(k + 1).find((n) => n.field === s.field)?.begun ?? Infinity;
      const inside = answers.filter((a) => a.started > s.at && a.ended < until);
      assert.ok(inside.length > 0, `answers after step ${k}`);
      for (const a of inside) assert.equal(a[s.field], s.expect, `step ${k}: ${s.field}`);
    });
    assert.ok(
      answers.some((a) => a.ranker === ids.rankerB) && answers.some((a) => a.crossEncoder === ids.ceB),
    );
    assert.ok(
      answers.some((a) => a.crossEncoder === ids.ceB && a.reranked! > 0),
      "the new cross-encoder reranked pages",
    );
    console.log(
      `# ${answers.length} requests from 4 clients across 4 switches, ${failed.length} failed; p50 ${percentile(answers, 0.5)} ms, max ${percentile(answers, 1)} ms`,
    );
  });

  it("refuses an altered file, unknown features and a broken cross-encoder contract with the reason; the serving model stays", async () => {
    const serving = await servingIds();
    const refused = async (kind: string, id: string, code: string, reason: RegExp) => {
      const result = await change("ActivateModel", { kind, id });
      assert.equal(result.__typename, "ModelRefused", JSON.stringify(result));
      console.log(`# refused ${kind} ${id}: ${result.code}: ${result.reason.slice(0, 160)}`);
      assert.equal(result.code, code);
      assert.match(result.reason, reason);
      assert.equal(result.serving, kind === "RANKER" ? serving.ranker : serving.crossEncoder);
    };
    await refused(
      "RANKER",
      "altered-file",
      "HASH_MISMATCH",
      /model\.onnx has sha256 [0-9a-f]{64}, its manifest says/,
    );
    await refused("RANKER", "unknown-features", "CONTRACT_BROKEN", /watchTimeShare/);
    await refused("RANKER", "wrong-width", "CONTRACT_BROKEN", /does not score \[rows, 2\]/);
    await refused("RANKER", "not-onnx", "LOAD_FAILED", /./);
    await refused("CROSS_ENCODER", ids.wrongCe, "CONTRACT_BROKEN", /one finite logit/);
    await refused("RANKER", "no-such-model", "NOT_FOUND", /no ranker no-such-model/);
    rmSync(join(registry, "ranker", ids.rankerB, "model.onnx"));
    await refused("RANKER", ids.rankerB, "FILE_MISSING", /model\.onnx is missing/);
    assert.deepEqual(await servingIds(), serving);
    const page = (await gql(FEED, { userId: USERS[0] })).recommendations;
    assert.equal(page.models.ranker, serving.ranker, "requests still run on the serving ranker");
  });

  it("keeps an activation and its history across a restart (active.json)", async () => {
    const serving = await servingIds();
    const ce = await change("ActivateModel", { kind: "CROSS_ENCODER", id: ids.ceB });
    assert.equal(ce.__typename, "ModelActivated");
    await app.stop();
    app = await startApp(loadConfig(env), silentLogger);
    base = app.server.url.replace(/\/graphql$/, "");
    assert.deepEqual(await servingIds(), { ranker: serving.ranker, crossEncoder: ids.ceB });
    const back = await change("RollbackModel", { kind: "CROSS_ENCODER" });
    assert.equal(back.id, serving.crossEncoder, "the history survived the restart too");
    const nothing = await change("RollbackModel", { kind: "CROSS_ENCODER" });
    assert.equal(nothing.__typename, "ModelRefused", "the startup model has nothing behind it");
    assert.equal(nothing.code, "NOTHING_TO_ROLL_BACK");
    assert.equal(nothing.serving, serving.crossEncoder);
    assert.equal((await status()).reranker.enabled, true);
  });
});

function percentile(answers: { started: number; ended: number }[], q: number): number {
  const ms = answers.map((a) => a.ended - a.started).sort((a, b) => a - b);
  return Math.round(ms[Math.min(ms.length - 1, Math.floor(q * (ms.length - 1)))]!);
}
