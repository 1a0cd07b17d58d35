import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { seededRandom } from "../../src/cli/seeded-random.js";
import { loadConfig } from "../../src/config/config.js";
import type { Encoder } from "../../src/embed/encoder.js";
import { readCatalogue } from "../../src/eval/catalogue.js";
import { ingestPast } from "../../src/eval/ingest-past.js";
import { timeSplit } from "../../src/eval/time-split.js";
import { userPartition } from "../../src/eval/user-partition.js";
import { silentLogger } from "../../src/logger.js";
import { loadLearnedRanker, type LearnedRanker } from "../../src/rank/learned-ranker.js";
import { FEATURES } from "../../src/rank/ranking-features.js";
import { fitRanker, type RankerManifest } from "../../src/rank/train-ranker.js";
import { trainingRows, type TrainingRow } from "../../src/rank/training-rows.js";
import { recommendForUser } from "../../src/recommend/recommendations.js";
import { demoDump } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

// npm run train:ranker's engine on the demo catalogue (scikit-learn in its own virtualenv), and
// the served path with the model it writes.
describe("learned ranker: trained on the train half, served by onnxruntime-node (live Weaviate)", () => {
  let w: TestWeaviate;
  let encoder: Encoder;
  let rows: TrainingRow[];
  let manifest: RankerManifest;
  let ranker: LearnedRanker;
  const out = join(mkdtempSync(join(tmpdir(), "ranker-")), "model.onnx");
  const { dir } = demoDump();
  const split = timeSplit(dir);
  const catalogue = readCatalogue(dir);
  const train = split.users.filter((u) => userPartition(u.userId) === "train");
  const deps = () => ({ weaviate: w, coldStart: { minComments: 3, minMembers: 3 } });

  before(async () => {
    [w, encoder] = await Promise.all([startTestWeaviate(), testEncoder()]);
    await ingestPast(dir, train, { weaviate: w, encoder, log: silentLogger }, () => {});
    rows = await trainingRows(deps(), train, catalogue, 10, seededRandom(5), () => {});
    manifest = fitRanker(rows, out, loadConfig().weaviate.cacheDir, silentLogger);
    ranker = await loadLearnedRanker(out);
  });
  after(async () => {
    await ranker?.dispose();
    await encoder?.dispose();
    await w?.dispose();
  });

  it("trains on both labels from the train half only, and records what it learned from", () => {
    assert.ok(train.length > 5 && train.length < split.users.length, "the partition splits the users");
    assert.ok(rows.some((r) => r.label === 1) && rows.some((r) => r.label === 0));
    assert.ok(rows.every((r) => userPartition(r.userId) === "train"));
    assert.deepEqual(manifest.features, FEATURES.map((f) => f.name));
    assert.equal(manifest.rows, rows.length);
    assert.ok(["logistic-regression", "gradient-boosting"].includes(manifest.model));
    assert.deepEqual(JSON.parse(readFileSync(join(out, "..", "manifest.json"), "utf8")).features, manifest.features);
  });

  it("serving computes the features training saw, and scores them with the model", async () => {
    const user = train[0]!;
    const mine = rows.filter((r) => r.userId === user.userId);
    const outcome = await recommendForUser({ ...deps(), ranker }, { userId: user.userId, pageSize: mine.length, filters: { onlyVideoIds: mine.map((r) => r.videoId) }, maxPerCreator: Number.MAX_SAFE_INTEGER, coldStart: true, rerank: false });
    assert.equal(outcome.kind, "list");
    if (outcome.kind !== "list") return;
    assert.equal(outcome.items.length, mine.length);
    const expected = await ranker.score(Float32Array.from(mine.flatMap((r) => r.features)), mine.length);
    for (const item of outcome.items) {
      const k = mine.findIndex((r) => r.videoId === item.videoId);
      assert.deepEqual(item.features, mine[k]!.features, `features of ${item.videoId} differ between training and serving`);
      assert.ok(Math.abs(item.score - expected[k]!) < 1e-6, "the served score is the model's");
    }
    for (let i = 1; i < outcome.items.length; i++) assert.ok(outcome.items[i - 1]!.score >= outcome.items[i]!.score, "items are ordered by the model");
  });

  it("trains and serves a point-in-time model on a subset of the features", async () => {
    const pitOut = join(mkdtempSync(join(tmpdir(), "ranker-pit-")), "model.onnx");
    const pit = fitRanker(rows, pitOut, loadConfig().weaviate.cacheDir, silentLogger, {}, (name) => FEATURES.find((f) => f.name === name)!.pointInTime);
    assert.deepEqual(pit.features, FEATURES.filter((f) => f.pointInTime).map((f) => f.name));
    assert.deepEqual(pit.notPointInTime, []);
    const subset = await loadLearnedRanker(pitOut);
    try {
      const user = train[1]!;
      const mine = rows.filter((r) => r.userId === user.userId);
      const outcome = await recommendForUser({ ...deps(), ranker: subset }, { userId: user.userId, pageSize: mine.length, filters: { onlyVideoIds: mine.map((r) => r.videoId) }, maxPerCreator: Number.MAX_SAFE_INTEGER, coldStart: true, rerank: false });
      assert.equal(outcome.kind, "list");
      if (outcome.kind === "list") assert.ok(outcome.items.every((i) => i.score >= 0 && i.score <= 1), "scores are probabilities");
    } finally {
      await subset.dispose();
    }
  });

  it("refuses a model whose manifest names a feature this code does not compute", async () => {
    const m = JSON.parse(readFileSync(join(out, "..", "manifest.json"), "utf8"));
    writeFileSync(join(out, "..", "manifest.json"), JSON.stringify({ ...m, features: ["content", "watchTime"] }));
    await assert.rejects(loadLearnedRanker(out), /was trained on \[content, watchTime\]/);
  });
});
