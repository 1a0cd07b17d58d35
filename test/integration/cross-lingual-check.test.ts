import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { after, describe, it } from "node:test";
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { ENCODER_NAMES } from "../../src/embed/encoder-choice.js";
import { l3Layout } from "../../src/embed/paraphrase-l3-files.js";
import { readDemoLabels } from "../../src/ingest/demo/demo-labels.js";
import { runCrossLingualCheck, type CrossLingualReport } from "../../src/offline/eval/cross-lingual.js";
import { demoDump } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";
import { startTestWeaviate } from "../helpers/weaviate.js";

const config = loadConfig();
const skip =
  !existsSync(l3Layout(config.models.dir).onnx) && "needs paraphrase-MiniLM-L3-v2 (npm run provision)";
const inUnit = (x: number | undefined) => x === undefined || (x >= 0 && x <= 1);

// npm run eval:cross-lingual's engine, per packaged encoder, on a live Weaviate with the real models.
describe("cross-lingual check on the demo catalogue (live Weaviate, both encoders)", { skip }, () => {
  const dump = demoDump().dir;
  const labels = readDemoLabels(dump);
  const reports: CrossLingualReport[] = [];
  after(() => {
    rmSync(dump, { recursive: true, force: true });
    console.log(reports.map((r) => `${r.encoder}: ${JSON.stringify(r.overall)}`).join("\n"));
  });

  for (const name of ENCODER_NAMES) {
    it(`${name}: a row for every demo user, sane shares, well above chance`, async () => {
      const weaviate = await startTestWeaviate();
      const encoder = await testEncoder(name);
      try {
        const report = await runCrossLingualCheck({
          weaviate,
          encoder,
          log: silentLogger,
          coldStart: config.coldStart,
        });
        reports.push(report);
        assert.equal(report.encoder, encoder.modelId);
        assert.deepEqual(
          report.rows.map((r) => r.userId),
          labels.users.map((u) => u.userId),
        );
        for (const r of report.rows) {
          assert.ok(
            [r.topicShare, r.otherLangTopicShare, r.chance, r.ceiling].every(inUnit),
            JSON.stringify(r),
          );
          assert.ok(r.otherLang <= r.served && r.served <= report.pageSize);
          if (r.topicShare !== undefined) assert.ok(r.topicShare <= r.ceiling + 1e-9, JSON.stringify(r));
        }
        const { overall } = report;
        // Every demo user commented, so every one gets a page of ten from their own interest.
        assert.equal(overall.users, labels.users.length);
        assert.ok(report.rows.every((r) => r.served === 10));
        // Chance is ~19% (one topic in six, a few users have two); a working encoder is far above it,
        // and finds on-topic videos in other languages too, not only in the user's own.
        assert.ok(
          overall.topicShare > 2 * overall.chance,
          `on topic ${overall.topicShare} vs chance ${overall.chance}`,
        );
        assert.ok(overall.otherLangItems > 0);
        assert.ok(
          overall.otherLangTopicShare > 2 * overall.chance,
          `other-language ${overall.otherLangTopicShare}`,
        );
        const skater = report.rows.find((r) => r.userId === "demo-user-skater-pt")!;
        assert.ok(
          skater.firstOtherLangOnTopic !== undefined,
          "the Portuguese skater's page has a skate video in another language",
        );
      } finally {
        await encoder.dispose();
        await weaviate.dispose();
      }
    });
  }

  it("the labels agree with the catalogue: every demo video has a topic, every topic three creators", () => {
    const manifest = JSON.parse(readFileSync(`${dump}/manifest.json`, "utf8")) as { videos: number };
    assert.equal(labels.videos.length, manifest.videos);
    const creators = new Map<string, Set<string>>();
    for (const v of labels.videos)
      creators.set(v.topic, (creators.get(v.topic) ?? new Set()).add(v.creatorId));
    assert.deepEqual(
      [...creators.values()].map((s) => s.size),
      [3, 3, 3, 3, 3, 3],
    );
  });
});
