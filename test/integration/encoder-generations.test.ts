import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import type { Services } from "../../src/api/services.js";
import {
  openEncoderGenerations,
  type EncoderGenerations,
} from "../../src/app/encoder-generations-service.js";
import { videoDocument } from "../../src/domain/documents.js";
import type { Encoder } from "../../src/embed/encoder.js";
import { L3_NAME, l3Layout } from "../../src/embed/paraphrase-l3-files.js";
import { recordComment } from "../../src/ingest/first-party.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { refreshCohorts } from "../../src/recommend/query/cohort-refresh.js";
import { similarVideos } from "../../src/recommend/similar.js";
import { everyObject } from "../../src/store/collections/every-object.js";
import { collection } from "../../src/store/collections/typed-collections.js";
import { countObjects } from "../../src/store/generations/generation-copy.js";
import { GENERATION_CLASSES } from "../../src/store/generations/generation-names.js";
import { GENERATIONS_FILE, readGenerationRecord } from "../../src/store/generations/generation-record.js";
import { pinnedHandle, servingAliasTargets } from "../../src/store/generations/generation-schema.js";
import { verifyGeneration } from "../../src/store/generations/generation-verify.js";
import { ENCODER_MARKER_FILE } from "../../src/store/server/store-encoder.js";
import { demoDump } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";
import { testServices } from "../helpers/services.js";
import { cosine } from "../helpers/vectors.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

const modelsDir = loadConfig().models.dir;
const skip = !existsSync(l3Layout(modelsDir).onnx) && `needs ${l3Layout(modelsDir).onnx} (npm run provision)`;
const L6 = "sentence-transformers/all-MiniLM-L6-v2";
const L3 = `sentence-transformers/${L3_NAME}`;
const PAGE = { pageSize: 10, filters: {}, maxPerCreator: 3, coldStart: true, rerank: false, offset: 0 };

interface Served {
  kind: "feed" | "similar";
  key: string;
  generation?: number;
  ids: string[];
  startedAt: number;
}

// A store built with MiniLM-L6 is re-embedded with paraphrase-MiniLM-L3 while it serves
// (live Weaviate, both real encoders, the demo catalogue), rolled back, and rebuilt again in a
// child process killed midway.
describe("encoder generations", { skip }, () => {
  let w: TestWeaviate;
  let l6: Encoder;
  let gens: EncoderGenerations;
  let services: Services;
  let users: string[] = [];
  let videos: string[] = [];
  const open = (configured: Encoder, extra: { autoRebuild?: boolean } = {}) =>
    openEncoderGenerations({
      weaviate: w,
      configured,
      makeEncoder: (choice) => testEncoder(choice),
      refreshCohorts: async (h) => void (await refreshCohorts(h, 3, silentLogger)),
      graceHours: 1,
      pageSize: 50,
      log: silentLogger,
      ...extra,
    });

  before(async () => {
    w = await startTestWeaviate();
    l6 = await testEncoder("auto");
    const { dir } = demoDump();
    try {
      const dump = createDumpSource(dir);
      await createIngestRunner({ weaviate: w, encoder: l6, log: silentLogger }).run(dump, dump.usernames(), {
        trigger: "test",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await refreshCohorts(w, 3, silentLogger);
    gens = await open(l6, { autoRebuild: false });
    services = testServices(w, gens.encoder, undefined, { generations: gens });
    const interests = collection(w, "UserInterest");
    for await (const o of everyObject((p) =>
      interests.query.fetchObjects({ ...p, returnProperties: ["userId"] }),
    ))
      users.push(String(o.properties.userId));
    const stored = collection(w, "Video");
    for await (const o of everyObject((p) =>
      stored.query.fetchObjects({ ...p, returnProperties: ["videoId"] }),
    ))
      videos.push(String(o.properties.videoId));
    users = users.slice(0, 12);
    videos = videos.slice(0, 12);
  });
  after(async () => {
    await gens?.stop();
    await l6?.dispose();
    await w?.dispose();
  });

  it("rebuilds MiniLM-L6 -> L3 under query traffic: 0 failed, each response from one generation", async () => {
    assert.equal(gens.status().serving, 1);
    const served: Served[] = [];
    const failures: string[] = [];
    let stop = false;
    const client = async (c: number) => {
      for (let i = c; !stop; i++) {
        const startedAt = Date.now();
        try {
          if (i % 2 === 0) {
            const userId = users[i % users.length]!;
            const page = await services.recommend({ ...PAGE, userId });
            if (page.kind !== "page") failures.push(`${userId}: ${page.kind}`);
            else
              served.push({
                kind: "feed",
                key: userId,
                generation: page.encoderGeneration,
                ids: page.items.map((x) => x.videoId),
                startedAt,
              });
          } else {
            const videoId = videos[i % videos.length]!;
            const res = await services.similarVideos(videoId, 10);
            if (res.kind !== "page") failures.push(`${videoId}: ${res.kind}`);
            else
              served.push({
                kind: "similar",
                key: videoId,
                generation: res.encoderGeneration,
                ids: res.items.map((x) => x.videoId),
                startedAt,
              });
          }
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    await sleep(1_000);
    const t0 = Date.now();
    const change = await services.rebuildEncoderGeneration(L3_NAME, "test");
    assert.deepEqual(change, { kind: "started", generation: 2, encoder: L3 });
    const refused = await services.rebuildEncoderGeneration(L3_NAME, "test");
    assert.equal(refused.kind, "refused", "a second rebuild waits for the first");
    // Written while the rebuild runs (after the videos are copied): it must reach generation 2 too.
    while (!gens.status().generations.find((g) => g.id === 2)?.progress.Video?.done) await sleep(50);
    const during = "ollie over the stairs during the rebuild";
    assert.equal(
      (await services.recordComment({ userId: users[1]!, videoId: videos[1]!, text: during })).kind,
      "recorded",
    );
    await gens.idle();
    const seconds = (Date.now() - t0) / 1000;
    await sleep(1_500);
    stop = true;
    await Promise.all(clients);

    const status = gens.status();
    const g2 = status.generations.find((g) => g.id === 2)!;
    assert.equal(g2.error, undefined);
    assert.equal(status.serving, 2);
    assert.equal(g2.state, "serving");
    assert.equal(status.generations.find((g) => g.id === 1)!.state, "retired");
    const counts = Object.fromEntries(GENERATION_CLASSES.map((c) => [c, g2.verified!.counts[c]]));
    console.log(
      `rebuild of the demo catalogue MiniLM-L6 -> L3: ${seconds.toFixed(1)} s under load (buildSeconds ${g2.buildSeconds}), ` +
        `${served.length} responses, ${failures.length} failed; counts ${JSON.stringify(counts)}`,
    );
    assert.deepEqual(failures, []);
    const switchedAt = Date.parse(g2.switchedAt!);
    assert.ok(
      served.every((s) => s.generation === 1 || s.generation === 2),
      "every response names its generation",
    );
    assert.ok(
      served.some((s) => s.generation === 1) && served.some((s) => s.generation === 2),
      "both served",
    );
    assert.ok(
      served.filter((s) => s.startedAt > switchedAt + 50).every((s) => s.generation === 2),
      "requests begun after the switch read generation 2",
    );
    // Every similarVideos answer is exactly what its generation gives on its own: a query vector of one
    // generation recalled from another's classes would match neither.
    const truth = new Map<string, string[]>();
    for (const s of served.filter((x) => x.kind === "similar")) {
      const key = `${s.generation}:${s.key}`;
      if (!truth.has(key)) {
        const alone = await similarVideos(
          { weaviate: pinnedHandle(w, s.generation!), coldStart: { minComments: 3, minMembers: 3 } },
          s.key,
          10,
        );
        truth.set(key, alone.kind === "page" ? alone.items.map((x) => x.videoId) : []);
      }
      assert.deepEqual(s.ids, truth.get(key), `similarVideos(${s.key}) on generation ${s.generation}`);
    }
    const differs = [...truth.keys()]
      .filter((k) => k.startsWith("1:"))
      .some((k) => JSON.stringify(truth.get(k)) !== JSON.stringify(truth.get(`2:${k.slice(2)}`)));
    assert.ok(differs, "the two generations answer differently (genuinely different encoders)");

    // Counts equal, centroids fresh, vectors from L3, aliases and marker moved.
    const [g1h, g2h] = [pinnedHandle(w, 1), pinnedHandle(w, 2)];
    for (const c of GENERATION_CLASSES.filter((x) => x !== "Cohort"))
      assert.equal(await countObjects(g2h, c), await countObjects(g1h, c), c);
    const verified = await verifyGeneration(g1h, g2h);
    assert.ok(verified.ok, verified.problems.join("\n"));
    assert.ok(verified.centroidsChecked >= 10, `centroids checked: ${verified.centroidsChecked}`);
    const l3 = await testEncoder(L3_NAME);
    try {
      const [v] = (await collection(g2h, "Video").query.fetchObjects({ limit: 1, includeVector: true }))
        .objects;
      const p = v!.properties;
      const text = videoDocument({ title: p.title!, musicTitle: p.musicTitle!, hashtags: p.hashtags ?? [] });
      const [want3] = await l3.embed([text]);
      const [want6] = await l6.embed([text]);
      assert.ok(cosine(v!.vectors.default as number[], want3!) > 0.999, "generation 2 holds L3 vectors");
      const old = await collection(g1h, "Video").query.fetchObjectById(v!.uuid, { includeVector: true });
      assert.ok(cosine(old!.vectors.default as number[], want6!) > 0.999, "generation 1 kept L6 vectors");
    } finally {
      await l3.dispose();
    }
    const landed = await collection(g2h, "Comment").query.fetchObjects({
      filters: collection(w, "Comment").filter.byProperty("text").equal(during),
      includeVector: true,
    });
    assert.equal(landed.objects.length, 1, "the comment written during the rebuild is in generation 2");
    const l3again = await testEncoder(L3_NAME);
    const [duringVector] = await l3again.embed([during]);
    await l3again.dispose();
    assert.ok(
      cosine(landed.objects[0]!.vectors.default as number[], duringVector!) > 0.999,
      "embedded by L3",
    );
    assert.equal((await servingAliasTargets(w)).Video_serving, "Video_g2");
    assert.equal(JSON.parse(readFileSync(join(w.dataDir, ENCODER_MARKER_FILE), "utf8")).encoder, L3);
    assert.equal(encoderFamilyOf(gens.encoder), L3, "writes now embed with L3");
  });

  it("rolls back to generation 1, with a comment written since the switch re-embedded by L6", async () => {
    const userId = users[0]!;
    const recorded = await services.recordComment({
      userId,
      videoId: videos[0]!,
      text: "kickflip practice at the skatepark today",
    });
    assert.equal(recorded.kind, "recorded");
    const change = await services.rollbackEncoderGeneration("test");
    assert.equal(change.kind, "switched");
    assert.equal(gens.pin().generation, 1);
    const status = gens.status();
    assert.equal(status.generations.find((g) => g.id === 2)!.state, "retired");
    assert.ok(Date.parse(status.generations.find((g) => g.id === 2)!.dropAfter!) > Date.now() + 3_000_000);
    const page = await services.recommend({ ...PAGE, userId });
    assert.equal(page.kind === "page" && page.encoderGeneration, 1);
    const [want] = await l6.embed(["kickflip practice at the skatepark today"]);
    const found = (
      await collection(pinnedHandle(w, 1), "Comment").query.fetchObjects({
        filters: collection(w, "Comment")
          .filter.byProperty("text")
          .equal("kickflip practice at the skatepark today"),
        includeVector: true,
      })
    ).objects;
    assert.equal(
      found.length,
      1,
      "the comment written on generation 2 is in generation 1 after the rollback",
    );
    assert.ok(cosine(found[0]!.vectors.default as number[], want!) > 0.999, "and embedded by L6");
    assert.equal((await servingAliasTargets(w)).Video_serving, "Video");
    assert.equal(encoderFamilyOf(gens.encoder), L6);
  });

  it("a write in flight when a switch begins is waited for and reaches the new generation", async () => {
    // Switch 1 -> 2 (the rollback target now) while a unit that began before it is still writing.
    const gate = w.writeGate!;
    const leave = await gate.enter();
    const switching = services.rollbackEncoderGeneration("test");
    const deadline = Date.now() + 60_000;
    while (!gate.state().closed) {
      assert.ok(Date.now() < deadline, "the switch never closed the gate");
      await sleep(50);
    }
    // The unit in flight writes through the handle it began with (the gate is its own to hold).
    const text = "late write: a frontside grind on the handrail";
    const inFlight: typeof w = Object.create(w, { writeGate: { value: undefined } });
    const recorded = await recordComment(inFlight, gens.encoder, {
      userId: users[1]!,
      videoId: videos[1]!,
      text,
    });
    assert.equal(recorded.duplicate, false);
    assert.equal(gens.pin().generation, 1, "no flip while a unit is in flight");
    leave();
    assert.equal((await switching).kind, "switched");
    assert.equal(gens.pin().generation, 2);
    const landed = await collection(pinnedHandle(w, 2), "Comment").query.fetchObjects({
      filters: collection(w, "Comment").filter.byProperty("text").equal(text),
      includeVector: true,
    });
    assert.equal(landed.objects.length, 1, "the write made while the switch waited is in generation 2");
    const l3 = await testEncoder(L3_NAME);
    const [want] = await l3.embed([text]);
    await l3.dispose();
    assert.ok(cosine(landed.objects[0]!.vectors.default as number[], want!) > 0.999, "embedded by L3");
    // Back to generation 1 for the resume test.
    assert.equal((await services.rollbackEncoderGeneration("test")).kind, "switched");
    assert.equal(gens.pin().generation, 1);
  });

  it("a rebuild killed midway (SIGKILL) resumes from its cursors, not from scratch", async () => {
    await gens.stop(); // the child owns the record now
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL("../helpers/generation-rebuild-child.js", import.meta.url))],
      {
        env: {
          ...process.env,
          WEAVIATE_URL: w.restUrl,
          WEAVIATE_GRPC_URL: `grpc://127.0.0.1:${w.embedded!.grpcPort}`,
          GEN_RECORD_DIR: w.dataDir,
          GEN_PAGE_SIZE: "20",
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // Kill it once it is past the videos and partway through the comments.
    const deadline = Date.now() + 120_000;
    let progress: Record<string, { copied: number; done: boolean } | undefined> = {};
    while (Date.now() < deadline) {
      progress = readGenerationRecord(w.dataDir)?.generations.find((g) => g.id === 3)?.progress ?? {};
      if ((progress.Comment?.copied ?? 0) >= 100) break;
      await sleep(100);
    }
    child.kill("SIGKILL");
    await exited;
    const cut = readGenerationRecord(w.dataDir)!.generations.find((g) => g.id === 3)!;
    assert.equal(cut.state, "building");
    assert.ok(cut.progress.Video?.done && !cut.progress.Comment?.done, JSON.stringify(cut.progress));
    const copiedBefore = ["Video", "Comment", "CreatorBio", "UserProfile"].reduce(
      (s, c) => s + (cut.progress[c]?.copied ?? 0),
      0,
    );

    // Restarted with EMBED_MODEL=L3: it resumes generation 3, embedding only what the kill left.
    const l3 = await testEncoder(L3_NAME);
    let embedded = 0;
    const counting: Encoder = Object.create(l3, {
      embed: { value: async (texts: readonly string[]) => ((embedded += texts.length), l3.embed(texts)) },
    });
    gens = await open(counting);
    await gens.idle();
    const status = gens.status();
    const g3 = status.generations.find((g) => g.id === 3)!;
    assert.equal(g3.error, undefined);
    assert.equal(status.serving, 3);
    const g1h = pinnedHandle(w, 1);
    let texts = 0;
    for (const c of ["Video", "Comment", "CreatorBio", "UserProfile"] as const)
      texts += await countObjects(g1h, c);
    console.log(
      `killed after ${copiedBefore} of ${texts} texts; the restart embedded ${embedded} (at most one page of ${20} again per class)`,
    );
    assert.ok(
      embedded <= texts - copiedBefore + 4 * 20,
      `embedded ${embedded}, ${texts - copiedBefore} were left`,
    );
    assert.ok(embedded >= texts - copiedBefore, `embedded ${embedded}, ${texts - copiedBefore} were left`);
    const verified = await verifyGeneration(g1h, pinnedHandle(w, 3));
    assert.ok(verified.ok, verified.problems.join("\n"));
    assert.ok(existsSync(join(w.dataDir, GENERATIONS_FILE)));
    await gens.stop();
    await l3.dispose();
  });
});

const encoderFamilyOf = (e: Encoder) => e.modelId.replace(/@.*$/, "");
