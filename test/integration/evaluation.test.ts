import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { loadConfig } from "../../src/platform/config/config.js";
import type { Encoder } from "../../src/embed/encoder.js";
import { modelLayout } from "../../src/embed/model-files.js";
import { renderReportHtml } from "../../src/offline/eval/report-html.js";
import {
  countStoredComments,
  runEvaluation,
  SCORERS,
  type EvalResult,
} from "../../src/offline/eval/run-eval.js";
import { timeSplit } from "../../src/offline/eval/time-split.js";
import { userPartition } from "../../src/offline/eval/user-partition.js";
import { silentLogger } from "../../src/platform/logger.js";
import { createCrossEncoder, type CrossEncoder } from "../../src/recommend/rerank/cross-encoder.js";
import { randomCrossEncoder } from "../../src/offline/training/random-cross-encoder.js";
import { userInterest } from "../../src/store/interest-lookup.js";
import { demoDump } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// `npm run eval`'s engine on the demo catalogue: the split is leak-free, the numbers are sane,
// and the report renders in a browser.
describe("offline evaluation (live Weaviate, real encoder)", () => {
  let w: TestWeaviate;
  let encoder: Encoder;
  let cross: CrossEncoder;
  let result: EvalResult;
  const { dir } = demoDump();
  const split = timeSplit(dir);

  before(async () => {
    [w, encoder] = await Promise.all([startTestWeaviate(), testEncoder()]);
    // A random-weight cross-encoder: its rows must be there and sane, whatever they score.
    cross = await createCrossEncoder({
      modelPath: randomCrossEncoder(loadConfig().weaviate.cacheDir, "tiny", silentLogger),
      tokenizerDir: modelLayout(loadConfig().models.dir).dir,
      modelId: "tiny",
    });
    result = await runEvaluation({
      dataset: dir,
      weaviate: w,
      encoder,
      crossEncoder: cross,
      log: silentLogger,
      progress: () => {},
      seed: 3,
    });
  });
  after(async () => {
    await cross?.dispose();
    await encoder?.dispose();
    await w?.dispose();
  });

  it("splits by time: the latest 20% of each eligible user's videos, at least one, the past strictly before", () => {
    assert.ok(split.users.length >= 20, `only ${split.users.length} eligible demo users`);
    for (const u of split.users) {
      const n = u.trainVideoIds.length + u.heldOutVideoIds.length;
      assert.ok(n >= 5);
      assert.equal(u.heldOutVideoIds.length, Math.max(1, Math.round(n * 0.2)));
      assert.ok(u.trainComments.length > 0);
    }
    assert.ok(split.heldOutCommentIds.size > 0);
  });

  it("is leak-free: no held-out comment reaches Weaviate, and no held-out video is in a user's interest", async () => {
    assert.equal(result.leakedComments, 0);
    assert.equal(await countStoredComments(w, [...split.heldOutCommentIds]), 0);
    const evaluated = split.users.filter((u) => userPartition(u.userId) === "evaluation");
    const stored = await countStoredComments(
      w,
      evaluated.flatMap((u) => u.trainComments.map((c) => c.id)),
    );
    assert.equal(
      stored,
      evaluated.reduce((n, u) => n + u.trainComments.length, 0),
      "every past comment of the evaluated users is ingested",
    );
    for (const u of split.users.filter((x) => userPartition(x.userId) === "evaluation")) {
      const interest = await userInterest(w, u.userId);
      assert.ok(interest, `${u.userId} has no interest`);
      assert.deepEqual(
        interest.commentedVideoIds.filter((v) => u.heldOutVideoIds.includes(v)),
        [],
      );
    }
  });

  it("reports every scorer on every negative kind, within [0, 1], and the served pipeline beats chance", () => {
    assert.equal(
      result.evaluatedUsers,
      split.users.filter((u) => userPartition(u.userId) === "evaluation").length,
      "only the evaluation half is scored",
    );
    for (const name of Object.keys(SCORERS) as (keyof typeof SCORERS)[]) {
      // The pair scorer's row exists only for a --ranker-model that has one; this run has none.
      if (name === "pairScore") {
        assert.ok(Object.values(result.auc[name]).every((auc) => auc === undefined));
        continue;
      }
      for (const [kind, auc] of Object.entries(result.auc[name]))
        assert.ok(auc !== undefined && auc >= 0 && auc <= 1, `${name} ${kind}: ${auc}`);
    }
    // Demo users comment on one topic: the served ranking must find their future well above chance.
    assert.ok(
      result.auc.blend.random! > 0.7,
      `served blend AUC on random negatives ${result.auc.blend.random}`,
    );
    assert.ok(result.negatives.random > 0 && result.negatives.hard > 0 && result.negatives.matched > 0);
    assert.ok(
      result.topK.withRules.recallAt50 !== undefined &&
        result.coverage > 0 &&
        result.creatorGini >= 0 &&
        result.creatorGini <= 1,
    );
    const candidates =
      result.positives + result.negatives.random + result.negatives.hard + result.negatives.matched;
    assert.ok(
      result.reranked > 0 && result.reranked <= candidates,
      `the cross-encoder scored ${result.reranked} of at most ${candidates} candidates`,
    );
  });

  it("prices a sponsored slot: a popular video in slot 3 of the served page never scores above the page", () => {
    const sp = result.sponsoredSlot;
    assert.equal(sp.position, 3);
    assert.ok(sp.users > 0, "no evaluated user got a sponsored video");
    // Off the page and never a held-out video, the sponsor only pushes organic items down.
    assert.ok(sp.ndcgLossAt10 !== undefined && sp.ndcgLossAt10 >= 0, `nDCG@10 loss ${sp.ndcgLossAt10}`);
    assert.ok(
      sp.recallLossAt10 !== undefined && sp.recallLossAt10 >= 0,
      `recall@10 loss ${sp.recallLossAt10}`,
    );
    assert.ok(sp.ndcgAt10 !== undefined && sp.ndcgAt10 >= 0 && sp.ndcgAt10 <= 1);
  });

  it(
    "renders a self-contained report that a browser opens, tables and ROC images included",
    { skip: existsSync(CHROMIUM) ? false : `needs Debian's chromium at ${CHROMIUM}` },
    async () => {
      const html = renderReportHtml({
        command: "npm run eval -- --dataset demo",
        generatedAt: "now",
        dataset: { path: dir, manifest: null },
        models: { encoder: encoder.modelId, crossEncoder: "off" },
        config: {},
        result,
      });
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      });
      try {
        const page = await browser.newPage();
        const requests: string[] = [];
        page.on("request", (r) => requests.push(r.url()));
        await page.setContent(html);
        // Every scorer but the pair scorer, which has a row only for a ranker that has one.
        assert.equal(await page.locator("#auc tbody tr").count(), Object.keys(SCORERS).length - 1);
        assert.equal(
          await page.locator("svg[role=img] polyline").count(),
          6,
          "two ROC curves for each of the three negative kinds",
        );
        assert.equal((await page.locator("#leaked").textContent())?.trim(), "0");
        assert.equal(await page.locator("#topk tr#sponsored").count(), 1);
        assert.equal(
          (await page.locator("#sponsored-ndcg-loss").textContent())?.trim(),
          result.sponsoredSlot.ndcgLossAt10!.toFixed(3),
        );
        const firstRow = await page.locator("#auc tbody tr").first().locator("td").allTextContents();
        assert.equal(firstRow[1], result.auc.blend.random!.toFixed(3));
        assert.deepEqual(
          requests.filter((u) => !u.startsWith("about:") && !u.startsWith("data:")),
          [],
          "the report fetched something",
        );
      } finally {
        await browser.close();
      }
    },
  );
});
