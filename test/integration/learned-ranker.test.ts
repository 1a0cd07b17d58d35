import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { seededRandom } from "../../src/platform/seeded-random.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { REPO_ROOT } from "../../src/platform/paths.js";
import type { Encoder } from "../../src/embed/encoder.js";
import { exportVenvPython, runPython } from "../../src/platform/python-venv.js";
import { modelLayout } from "../../src/embed/model-files.js";
import { readCatalogue } from "../../src/offline/eval/catalogue.js";
import { ingestPast } from "../../src/offline/eval/ingest-past.js";
import { timeSplit } from "../../src/offline/eval/time-split.js";
import { userPartition } from "../../src/offline/eval/user-partition.js";
import { silentLogger } from "../../src/platform/logger.js";
import { loadLearnedRanker, type LearnedRanker } from "../../src/recommend/rank/learned-ranker.js";
import { FEATURES, readsVectors } from "../../src/recommend/rank/ranking-features.js";
import { fitRanker, type RankerManifest } from "../../src/offline/training/train-ranker.js";
import { trainingRows, type TrainingRow } from "../../src/offline/training/training-rows.js";
import { recommendForUser } from "../../src/recommend/recommendations.js";
import { createCrossEncoder } from "../../src/recommend/rerank/cross-encoder.js";
import { fineTunePairs } from "../../src/offline/training/fine-tune-pairs.js";
import { exportCrossEncoder } from "../../src/offline/training/fine-tune.js";
import { randomCrossEncoder } from "../../src/offline/training/random-cross-encoder.js";
import { recentCommentTexts, videoDocuments } from "../../src/store/rerank-texts.js";
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
    assert.deepEqual(
      manifest.features,
      FEATURES.map((f) => f.name),
    );
    assert.equal(manifest.rows, rows.length);
    assert.ok(["logistic-regression", "gradient-boosting"].includes(manifest.model));
    assert.deepEqual(
      JSON.parse(readFileSync(join(out, "..", "manifest.json"), "utf8")).features,
      manifest.features,
    );
  });

  it("serving computes the features training saw, and scores them with the model", async () => {
    const user = train[0]!;
    const mine = rows.filter((r) => r.userId === user.userId);
    const pairColumn = FEATURES.findIndex((f) => f.name === "pairScore");
    const scorer = ranker.pairScorer;
    assert.ok(scorer, "a ranker trained on pairScore serves with its pair scorer");
    // Training fills pairScore with the scorer's out-of-fold score; serving with the scorer's own.
    const pairScores = await scorer.score(
      Float32Array.from(mine.flatMap((r) => [...r.pairInputs])),
      mine.length,
    );
    const served = mine.map((r, k) => r.features.map((x, j) => (j === pairColumn ? pairScores[k]! : x)));
    const outcome = await recommendForUser(
      { ...deps(), ranker, allFeatures: true },
      {
        userId: user.userId,
        pageSize: mine.length,
        filters: { onlyVideoIds: mine.map((r) => r.videoId) },
        maxPerCreator: Number.MAX_SAFE_INTEGER,
        coldStart: true,
        rerank: false,
      },
    );
    assert.equal(outcome.kind, "list");
    if (outcome.kind !== "list") return;
    assert.equal(outcome.items.length, mine.length);
    const expected = await ranker.score(Float32Array.from(served.flat()), mine.length);
    assert.ok(
      pairScores.some((x) => x !== pairScores[0]),
      "the pair scorer tells these candidates apart",
    );
    for (const item of outcome.items) {
      const k = mine.findIndex((r) => r.videoId === item.videoId);
      assert.deepEqual(
        item.pairInputs,
        mine[k]!.pairInputs,
        `pair inputs of ${item.videoId} differ between training and serving`,
      );
      assert.deepEqual(
        item.features,
        Array.from(Float32Array.from(served[k]!)),
        `features of ${item.videoId} differ between training and serving`,
      );
      assert.ok(Math.abs(item.score - expected[k]!) < 1e-6, "the served score is the model's");
    }
    for (let i = 1; i < outcome.items.length; i++)
      assert.ok(outcome.items[i - 1]!.score >= outcome.items[i]!.score, "items are ordered by the model");
  });

  it("trains and serves a point-in-time model on a subset of the features", async () => {
    const pitOut = join(mkdtempSync(join(tmpdir(), "ranker-pit-")), "model.onnx");
    const pit = fitRanker(
      rows,
      pitOut,
      loadConfig().weaviate.cacheDir,
      silentLogger,
      {},
      (name) => FEATURES.find((f) => f.name === name)!.pointInTime,
    );
    assert.deepEqual(
      pit.features,
      FEATURES.filter((f) => f.pointInTime).map((f) => f.name),
    );
    assert.deepEqual(pit.notPointInTime, []);
    const subset = await loadLearnedRanker(pitOut);
    try {
      const user = train[1]!;
      const mine = rows.filter((r) => r.userId === user.userId);
      const outcome = await recommendForUser(
        { ...deps(), ranker: subset },
        {
          userId: user.userId,
          pageSize: mine.length,
          filters: { onlyVideoIds: mine.map((r) => r.videoId) },
          maxPerCreator: Number.MAX_SAFE_INTEGER,
          coldStart: true,
          rerank: false,
        },
      );
      assert.equal(outcome.kind, "list");
      if (outcome.kind === "list")
        assert.ok(
          outcome.items.every((i) => i.score >= 0 && i.score <= 1),
          "scores are probabilities",
        );
    } finally {
      await subset.dispose();
    }
  });

  it("fetches vectors only for a ranker that reads them: without, the vector features are 0 and the rest unchanged", async () => {
    const lightOut = join(mkdtempSync(join(tmpdir(), "ranker-light-")), "model.onnx");
    const light = fitRanker(
      rows,
      lightOut,
      loadConfig().weaviate.cacheDir,
      silentLogger,
      {},
      (name) => !readsVectors([name]),
    );
    assert.ok(!readsVectors(light.features) && light.features.length < FEATURES.length);
    const subset = await loadLearnedRanker(lightOut);
    try {
      const user = train[2]!;
      const mine = rows.filter((r) => r.userId === user.userId);
      const outcome = await recommendForUser(
        { ...deps(), ranker: subset },
        {
          userId: user.userId,
          pageSize: mine.length,
          filters: { onlyVideoIds: mine.map((r) => r.videoId) },
          maxPerCreator: Number.MAX_SAFE_INTEGER,
          coldStart: true,
          rerank: false,
        },
      );
      assert.equal(outcome.kind, "list");
      if (outcome.kind !== "list") return;
      const vectorColumns = FEATURES.map((f, k) => [f.name, k] as const).filter(([name]) =>
        readsVectors([name]),
      );
      assert.ok(
        mine.some((r) => vectorColumns.some(([, k]) => r.features[k] !== 0)),
        "training computed the vector features",
      );
      for (const item of outcome.items) {
        const trained = mine.find((r) => r.videoId === item.videoId)!.features;
        FEATURES.forEach((f, k) =>
          assert.equal(
            item.features![k],
            readsVectors([f.name]) ? 0 : trained[k],
            `${f.name} of ${item.videoId}`,
          ),
        );
      }
    } finally {
      await subset.dispose();
    }
  });

  it("builds the cross-encoder's fine-tuning pairs from the texts the rerank stage sends", async () => {
    const pairs = await fineTunePairs(w, train, catalogue, 10, seededRandom(5), () => {});
    const user = train[0]!;
    const mine = pairs.filter((p) => p.user === user.userId);
    const query = (await recentCommentTexts(w, user.userId)).join(" ");
    const docs = await videoDocuments(
      w,
      mine.map((p) => p.videoId),
    );
    assert.ok(query.length > 0 && mine.length > 0);
    assert.ok(
      mine.every((p) => p.query === query && p.doc === docs.get(p.videoId)),
      "query and documents are the served ones",
    );
    const positives = new Set(user.heldOutVideoIds);
    assert.ok(
      mine.every(
        (p) => (p.label === 1) === positives.has(p.videoId) && (p.label === 1) === (p.kinds.length === 0),
      ),
    );
    assert.ok(pairs.every((p) => userPartition(p.user) === "train"));
  });

  it("exports a fine-tuned checkpoint only when the ONNX model reproduces the trainer's logits", async () => {
    const cacheDir = loadConfig().weaviate.cacheDir;
    const work = mkdtempSync(join(tmpdir(), "ce-export-"));
    const checkpoint = join(work, "checkpoint");
    // A tiny BertForSequenceClassification checkpoint in the trainer's layout, with the random tiny model's weights.
    const python = exportVenvPython(cacheDir, silentLogger);
    const writeCheckpoint = [
      "import json, sys; from pathlib import Path; sys.path.insert(0, sys.argv[2])",
      "from make_cross_encoder_onnx import random_weights; from safetensors.numpy import save_file",
      "out = Path(sys.argv[1]); out.mkdir(parents=True)",
      "w = random_weights(2, 64, 128, 7)",
      "save_file({(k if k.startswith('classifier') else 'bert.' + k): v for k, v in w.items()}, str(out / 'model.safetensors'))",
      "(out / 'config.json').write_text(json.dumps({'model_type': 'bert', 'hidden_act': 'gelu', 'hidden_size': 64, 'num_attention_heads': 2, 'num_hidden_layers': 2, 'intermediate_size': 128, 'layer_norm_eps': 1e-12}))",
    ].join("\n");
    runPython(python, ["-c", writeCheckpoint, checkpoint, join(REPO_ROOT, "tools")]);
    const tokenizerDir = modelLayout(loadConfig().models.dir).dir;
    for (const f of ["tokenizer.json", "tokenizer_config.json"])
      writeFileSync(join(checkpoint, f), readFileSync(join(tokenizerDir, f)));
    // The same weights built by the random path give the logits the trainer would have reported.
    const reference = await createCrossEncoder({
      modelPath: randomCrossEncoder(cacheDir, "tiny", silentLogger),
      tokenizerDir,
      modelId: "tiny",
    });
    const probe = [
      ["skate tricks", "kickflip at the park | music: x | tags: #skate"],
      ["bread", "sourdough at home"],
    ];
    const logits = await reference.score(
      probe.map(([q, d]) => reference.pair(reference.tokens(q!), reference.tokens(d!))),
    );
    await reference.dispose();
    const report = (shift: number) =>
      writeFileSync(
        join(checkpoint, "training-report.json"),
        JSON.stringify({
          probe: probe.map(([query, doc], i) => ({ query, doc, logit: logits[i]! + shift })),
        }),
      );

    const out = join(work, "exported", "model.onnx");
    report(0.5);
    await assert.rejects(
      exportCrossEncoder(checkpoint, out, {}, cacheDir, silentLogger),
      /differ from the trainer's by 0\.5/,
    );
    assert.ok(!existsSync(out), "nothing is written when the export disagrees with the trainer");
    report(0);
    const gap = await exportCrossEncoder(checkpoint, out, { model: "test" }, cacheDir, silentLogger);
    assert.ok(gap < 1e-5, `gap ${gap}`);
    assert.ok(
      existsSync(join(work, "exported", "tokenizer.json")),
      "the tokenizer is beside the model, where RERANK_MODEL looks",
    );
    assert.equal(
      JSON.parse(readFileSync(join(work, "exported", "manifest.json"), "utf8")).probe,
      undefined,
      "the manifest holds no users' comments",
    );
  });

  it("refuses a model whose manifest names a feature this code does not compute", async () => {
    const m = JSON.parse(readFileSync(join(out, "..", "manifest.json"), "utf8"));
    writeFileSync(
      join(out, "..", "manifest.json"),
      JSON.stringify({ ...m, features: ["content", "watchTime"] }),
    );
    await assert.rejects(loadLearnedRanker(out), /was trained on \[content, watchTime\]/);
  });
});
