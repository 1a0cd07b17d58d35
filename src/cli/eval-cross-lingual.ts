/**
 * npm run eval:cross-lingual -- [--encoder all-MiniLM-L6-v2,paraphrase-MiniLM-L3-v2] [--show USER_ID] [--json]
 * The labelled cross-lingual check (src/offline/eval/cross-lingual.ts): for each encoder named (by
 * default both packaged ones; auto, q8 and fp32 name MiniLM-L6's variants; minilm-finetuned and
 * hub:<org>/<name> as EMBED_MODEL takes them, once provisioned or trained), a fresh embedded
 * Weaviate, the demo catalogue ingested with that encoder, every demo user's first page served
 * through recommendForUser, and per user and overall the on-topic share of the top 10 and of its
 * videos in other languages; --show prints that user's page, labelled. The fixed blend ranks (what a
 * fresh clone serves); no cross-encoder.
 */
import { parseArgs } from "node:util";
import { configOrFail } from "../platform/config/config-or-fail.js";
import { createEncoder } from "../embed/encoder.js";
import { ENCODER_NAMES, FINETUNED_NAME, type EncoderChoice } from "../embed/encoder-choice.js";
import { isHubChoice } from "../embed/hub-encoder-files.js";
import { runCrossLingualCheck, type CrossLingualReport } from "../offline/eval/cross-lingual.js";
import { applySchema } from "../store/class-schema.js";
import { openScratchWeaviate } from "../store/scratch-weaviate.js";

const { values: args } = parseArgs({
  options: {
    encoder: { type: "string", default: ENCODER_NAMES.join(",") },
    show: { type: "string" },
    json: { type: "boolean" },
  },
});
const CHOICES: readonly string[] = ["auto", "q8", "fp32", ...ENCODER_NAMES, FINETUNED_NAME];
const choices = args.encoder!.split(",").filter(Boolean);
const unknown = choices.filter((c) => !CHOICES.includes(c) && !isHubChoice(c));
if (choices.length === 0 || unknown.length > 0) {
  console.error(
    `eval:cross-lingual: --encoder takes a comma-separated list of ${CHOICES.join(", ")} or hub:<org>/<name>; got ${args.encoder}`,
  );
  process.exit(2);
}
const { config, log } = configOrFail("eval:cross-lingual");
const pct = (x: number | undefined) => (x === undefined ? "–" : `${(x * 100).toFixed(0)}%`);

const reports: CrossLingualReport[] = [];
for (const choice of choices as EncoderChoice[]) {
  const encoder = await createEncoder({
    ...config.models,
    modelsDir: config.models.dir,
    variant: choice,
  }).catch((err: Error) => {
    console.error(`eval:cross-lingual: ${choice}: ${err.message}`);
    process.exit(1);
  });
  const weaviate = await openScratchWeaviate("eval-cross-lingual", log);
  try {
    await applySchema(weaviate, log);
    const report = await runCrossLingualCheck({ weaviate, encoder, log, coldStart: config.coldStart });
    reports.push(report);
    if (args.json) continue;
    console.log(
      `\n${report.encoder}: ingest ${report.ingestSeconds.toFixed(0)} s, ${report.rows.length} pages in ${report.serveSeconds.toFixed(1)} s`,
    );
    console.log(
      "| user | lang | topics | source | on topic (top 10) | other-language items | of those on topic | first other-language on-topic place | chance | ceiling |",
    );
    console.log("|---|---|---|---|---|---|---|---|---|---|");
    for (const r of report.rows)
      console.log(
        `| ${r.userId} | ${r.lang} | ${r.topics.join("+")} | ${r.source} | ${pct(r.topicShare)} | ${r.otherLang} | ${pct(r.otherLangTopicShare)} | ${r.firstOtherLangOnTopic ?? "–"} | ${pct(r.chance)} | ${pct(r.ceiling)} |`,
      );
    const shown = report.rows.find((r) => r.userId === args.show);
    if (args.show && !shown) console.log(`\n--show ${args.show}: not a demo user`);
    if (shown)
      console.log(
        `\n${shown.userId} (${shown.lang}, ${shown.topics.join("+")}): ${shown.page.map((p, i) => `${i + 1}. ${p.topic}/${p.lang}`).join(", ")}`,
      );
  } finally {
    await encoder.dispose();
    await weaviate.close();
  }
}
if (args.json) console.log(JSON.stringify(reports));
else {
  console.log(
    "\n| encoder | users | on topic (top 10, mean per user) | other-language items | of those on topic (pooled) | chance | ceiling |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const r of reports)
    console.log(
      `| ${r.encoder} | ${r.overall.users} | ${pct(r.overall.topicShare)} | ${r.overall.otherLangItems} | ${pct(r.overall.otherLangTopicShare)} | ${pct(r.overall.chance)} | ${pct(r.overall.ceiling)} |`,
    );
}
