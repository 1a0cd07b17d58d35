import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Encoder } from "../../embed/encoder.js";
import { writeDemoCatalogue } from "../../ingest/demo/demo-catalogue.js";
import { readDemoLabels, type DemoLabels } from "../../ingest/demo/demo-labels.js";
import { createIngestRunner } from "../../ingest/ingest-runner.js";
import { createDumpSource } from "../../ingest/sources/dump-source.js";
import type { Logger } from "../../platform/logger.js";
import type { RecommendDeps } from "../../recommend/recommend-deps.js";
import { recommendForUser } from "../../recommend/recommendations.js";
import type { WeaviateHandle } from "../../store/weaviate-handle.js";

/** One demo user's first page, against the demo catalogue's topic labels. */
export interface CrossLingualRow {
  userId: string;
  lang: string;
  topics: string[];
  /** interest, a cold-start source, or why there was no list (unknownUser, notEnoughSignal). */
  source: string;
  served: number;
  /** Share of the page on one of the user's topics; undefined without a page. */
  topicShare?: number;
  /** Items on the page in a language other than the user's. */
  otherLang: number;
  /** Share of those on one of the user's topics; undefined when the page holds none. */
  otherLangTopicShare?: number;
  /** 1-based place of the first on-topic video in another language, if the page has one. */
  firstOtherLangOnTopic?: number;
  /** What a page drawn at random from the catalogue would score: the share of videos on the user's topics. */
  chance: number;
  /** The page itself, labelled, in served order. */
  page: { videoId: string; topic: string; lang: string }[];
  /** The most a page can score: two videos per creator cap a one-topic user at 6 of 10 (three creators a topic). */
  ceiling: number;
}

export interface CrossLingualReport {
  encoder: string;
  pageSize: number;
  rows: CrossLingualRow[];
  overall: {
    users: number;
    /** Mean over users with a page. */
    topicShare: number;
    /** Pooled over every other-language item on every page. */
    otherLangTopicShare: number;
    otherLangItems: number;
    chance: number;
    ceiling: number;
  };
  ingestSeconds: number;
  serveSeconds: number;
}

/** The API's recommendations query asks for at most two videos per creator on a page. */
const MAX_PER_CREATOR = 2;

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * The labelled cross-lingual check: ingests the demo catalogue with this encoder into `weaviate`
 * (an empty scratch store), serves every demo user's first page through recommendForUser with the
 * API's defaults (two videos per creator, cold start on, no cross-encoder), and scores each page
 * against the labels: on-topic share overall and among the videos in other languages.
 */
export async function runCrossLingualCheck(opts: {
  weaviate: WeaviateHandle;
  encoder: Encoder;
  log: Logger;
  coldStart: RecommendDeps["coldStart"];
  ranker?: RecommendDeps["ranker"];
  pageSize?: number;
}): Promise<CrossLingualReport> {
  const pageSize = opts.pageSize ?? 10;
  const dir = mkdtempSync(join(tmpdir(), "cross-lingual-demo-"));
  let labels: DemoLabels;
  const ingestStarted = performance.now();
  try {
    writeDemoCatalogue(dir);
    labels = readDemoLabels(dir);
    const dump = createDumpSource(dir);
    await createIngestRunner(opts).run(dump, dump.usernames(), { trigger: "eval:cross-lingual" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  const videos = new Map(labels.videos.map((v) => [v.videoId, v]));
  const deps: RecommendDeps = { weaviate: opts.weaviate, coldStart: opts.coldStart, ranker: opts.ranker };
  const serveStarted = performance.now();
  const rows: CrossLingualRow[] = [];
  for (const user of labels.users) {
    const chance = labels.videos.filter((v) => user.topics.includes(v.topic)).length / labels.videos.length;
    const onTopicCreators = new Set(
      labels.videos.filter((v) => user.topics.includes(v.topic)).map((v) => v.creatorId),
    );
    const ceiling = Math.min(pageSize, MAX_PER_CREATOR * onTopicCreators.size) / pageSize;
    const outcome = await recommendForUser(deps, {
      userId: user.userId,
      pageSize,
      filters: {},
      maxPerCreator: MAX_PER_CREATOR,
      coldStart: true,
      rerank: false,
    });
    const base = { userId: user.userId, lang: user.lang, topics: user.topics, chance, ceiling };
    if (outcome.kind !== "list") {
      rows.push({ ...base, source: outcome.kind, served: 0, otherLang: 0, page: [] });
      continue;
    }
    const page = outcome.items.slice(0, pageSize).map((item) => {
      const label = videos.get(item.videoId);
      if (!label)
        throw new Error(
          `served video ${item.videoId} has no demo label: the store holds more than the demo catalogue`,
        );
      return { ...label, onTopic: user.topics.includes(label.topic), otherLang: label.lang !== user.lang };
    });
    const other = page.filter((p) => p.otherLang);
    const first = page.findIndex((p) => p.otherLang && p.onTopic);
    rows.push({
      ...base,
      source: outcome.source,
      served: page.length,
      topicShare: page.length === 0 ? undefined : page.filter((p) => p.onTopic).length / page.length,
      otherLang: other.length,
      otherLangTopicShare:
        other.length === 0 ? undefined : other.filter((p) => p.onTopic).length / other.length,
      firstOtherLangOnTopic: first < 0 ? undefined : first + 1,
      page: page.map(({ videoId, topic, lang }) => ({ videoId, topic, lang })),
    });
  }
  const served = rows.filter((r) => r.topicShare !== undefined);
  const otherItems = rows.reduce((n, r) => n + r.otherLang, 0);
  const otherOnTopic = rows.reduce((n, r) => n + (r.otherLangTopicShare ?? 0) * r.otherLang, 0);
  return {
    encoder: opts.encoder.modelId,
    pageSize,
    rows,
    overall: {
      users: served.length,
      topicShare: mean(served.map((r) => r.topicShare!)),
      otherLangTopicShare: otherItems === 0 ? 0 : otherOnTopic / otherItems,
      otherLangItems: otherItems,
      chance: mean(served.map((r) => r.chance)),
      ceiling: mean(served.map((r) => r.ceiling)),
    },
    ingestSeconds,
    serveSeconds: (performance.now() - serveStarted) / 1000,
  };
}
