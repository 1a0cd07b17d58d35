import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { GraphQLSchema } from "graphql";
import type { Encoder } from "../../src/embed/encoder.js";
import type { Services } from "../../src/api/services.js";
import { buildGraphQLSchema } from "../../src/api/graphql/schema.js";
import { startExperiments, type ExperimentsService } from "../../src/app/experiments-service.js";
import type { EventStore } from "../../src/events/event-store.js";
import { assignArm } from "../../src/experiments/assignment.js";
import { createDumpSource } from "../../src/ingest/sources/dump-source.js";
import { createIngestRunner } from "../../src/ingest/ingest-runner.js";
import { ConfigError } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { testEncoder } from "../helpers/encoder.js";
import { demoDump } from "../helpers/demo-dump.js";
import { openTestStore, startTestPostgres, type TestPostgres } from "../helpers/event-store.js";
import { operation } from "../helpers/operations.js";
import { runner, testServices } from "../helpers/services.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

const USERS = Array.from({ length: 12 }, (_, i) => `demo-user-${i}`);

// Events, experiments and the click feedback through the real schema, Weaviate, encoder and PostgreSQL.
describe("experiments and app events (live Weaviate and PostgreSQL)", () => {
  let w: TestWeaviate;
  let encoder: Encoder;
  let schema: GraphQLSchema;
  let pg: TestPostgres;
  let store: EventStore;
  let experiments: ExperimentsService;
  let services: Services;
  let run: ReturnType<typeof runner>;
  const page = async (userId: string, explain = false) =>
    (await run(operation("recommendations.graphql"), { userId, first: 10, explain })).recommendations;
  const send = async (events: unknown[], role: "admin" | "partner" = "partner") =>
    (await run(operation("events.graphql"), { events }, { role })).recordEvents;
  let n = 0;
  const id = () => `e${++n}`;

  before(async () => {
    [w, encoder, schema, pg] = await Promise.all([
      startTestWeaviate(),
      testEncoder(),
      buildGraphQLSchema(),
      startTestPostgres(),
    ]);
    const { dir } = demoDump();
    const dump = createDumpSource(dir);
    await createIngestRunner({ weaviate: w, encoder, log: silentLogger }).run(dump, dump.usernames(), {
      trigger: "test",
    });
    store = await openTestStore(pg);
    experiments = await startExperiments(store, { refreshSeconds: 3600, log: silentLogger });
    services = testServices(w, encoder, undefined, { events: store, experiments, eventsBatchMax: 20 });
    run = runner(
      () => schema,
      () => services,
    );
  });
  after(async () => {
    experiments?.close();
    await store?.close();
    await pg?.dispose();
    await encoder?.dispose();
    await w?.dispose();
  });

  it("every page carries a servedId; its events are accepted, and a retried batch counts once", async () => {
    const served = await page("demo-user-0");
    assert.match(served.servedId, /^[0-9a-f-]{36}$/);
    assert.equal(served.experiment, null);
    const batch = [
      { clientEventId: id(), kind: "IMPRESSION", servedId: served.servedId, positions: [1, 2, 3, 4] },
      { clientEventId: id(), kind: "CLICK", servedId: served.servedId, position: 2 },
      { clientEventId: id(), kind: "DWELL", servedId: served.servedId, position: 2, dwellMs: 8400 },
    ];
    assert.deepEqual(
      { ...(await send(batch)), outcomes: undefined },
      { accepted: 3, duplicates: 0, refused: 0, outcomes: undefined },
    );
    const retry = await send(batch);
    assert.equal(retry.accepted, 0);
    assert.equal(retry.duplicates, 3);
    assert.deepEqual(
      retry.outcomes.map((o: any) => o.status),
      ["DUPLICATE", "DUPLICATE", "DUPLICATE"],
    );
  });

  it("bad events are refused one by one with a reason, and the rest of the batch lands", async () => {
    const { servedId } = await page("demo-user-1");
    const good = { clientEventId: id(), kind: "CLICK", servedId, position: 1 };
    const bad = [
      { clientEventId: id(), kind: "CLICK", servedId: "00000000-0000-0000-0000-000000000000", position: 1 },
      { clientEventId: id(), kind: "DWELL", servedId, position: 1, dwellMs: -5 },
      { clientEventId: id(), kind: "CLICK", servedId, position: 11 },
      { clientEventId: id(), kind: "IMPRESSION", servedId, position: 1 },
      { clientEventId: id(), kind: "CLICK", servedId },
    ];
    const result = await send([bad[0], good, ...bad.slice(1)]);
    assert.equal(result.accepted, 1);
    assert.equal(result.refused, 5);
    const reasons = result.outcomes.map((o: any) => o.reason);
    assert.equal(result.outcomes[1].status, "ACCEPTED");
    assert.match(reasons[0], /servedId|page/i);
    assert.match(reasons[2], /dwell/i);
    assert.match(reasons[3], /position 11/);
    assert.match(reasons[4], /positions/);
    assert.match(reasons[5], /need position/);
  });

  it("past the batch limit, the first events land and the rest are refused with the limit", async () => {
    const { servedId } = await page("demo-user-2");
    const events = Array.from({ length: 23 }, (_, i) => ({
      clientEventId: id(),
      kind: "IMPRESSION",
      servedId,
      positions: [1 + (i % 10)],
    }));
    const result = await send(events);
    assert.equal(result.accepted, 20);
    assert.equal(result.refused, 3);
    assert.match(result.outcomes[22].reason, /batch limit of 20/);
  });

  it("an admin's experiment: sticky arms on every replica, the arm's settings apply, pages and explain say which", async () => {
    const started = await run(
      operation("experiments.graphql"),
      {
        input: {
          id: "quota-test",
          description: "one video per creator",
          arms: [
            { name: "control", weight: 0.5 },
            { name: "strict", weight: 0.5, settings: { maxPerCreator: 1 } },
          ],
        },
      },
      { operationName: "StartExperiment" },
    );
    assert.equal(started.startExperiment.__typename, "Experiment");
    const experiment = (await store.experiments()).find((e) => e.id === "quota-test")!;
    const arms = new Map(USERS.map((u) => [u, assignArm(experiment, u).arm]));
    assert.ok(new Set(arms.values()).size === 2, "12 users should fall in both arms");
    // A second replica on the same store learns of the test from it, and assigns alike.
    const other = await startExperiments(store, { refreshSeconds: 3600, log: silentLogger });
    const replica = testServices(w, encoder, undefined, { events: store, experiments: other });
    const replicaRun = runner(
      () => schema,
      () => replica,
    );
    try {
      for (const user of USERS) {
        const first = await page(user, true);
        const again = await page(user);
        const there = (await replicaRun(operation("recommendations.graphql"), { userId: user }))
          .recommendations;
        for (const p of [first, again, there])
          assert.deepEqual({ ...p.experiment }, { experimentId: "quota-test", arm: arms.get(user) });
        assert.ok(first.items.every((i: any) => i.explain.experiment === `quota-test/${arms.get(user)}`));
        if (arms.get(user) === "strict") {
          const creators = first.items.map((i: any) => i.video.creator.creatorId);
          assert.equal(new Set(creators).size, creators.length, `${user}: two videos of one creator`);
        }
      }
    } finally {
      other.close();
    }
  });

  it("the report counts each arm's users and events, and renders an offline page", async () => {
    const experiment = (await store.experiments()).find((e) => e.id === "quota-test")!;
    const { servedId } = await page(USERS[0]!);
    const sent = await send([
      { clientEventId: id(), kind: "IMPRESSION", servedId, positions: [1, 2, 3, 4, 5] },
      { clientEventId: id(), kind: "CLICK", servedId, position: 3 },
    ]);
    assert.equal(sent.accepted, 2);
    const { experimentReport: report } = await run(
      operation("experiments.graphql"),
      { id: "quota-test", html: true },
      { operationName: "ExperimentReport" },
    );
    const perArm = new Map<string, number>();
    for (const u of USERS)
      perArm.set(assignArm(experiment, u).arm, (perArm.get(assignArm(experiment, u).arm) ?? 0) + 1);
    for (const t of report.totals) assert.equal(t.usersServed, perArm.get(t.arm), `users in ${t.arm}`);
    const mine = report.totals.find((t: any) => t.arm === assignArm(experiment, USERS[0]!).arm);
    assert.deepEqual([mine.itemImpressions, mine.clicks], [5, 1]);
    assert.equal(report.events, 2);
    assert.ok(
      report.warnings.some((w: any) => w.code === "too-few-days"),
      "a day-old test must warn",
    );
    assert.match(report.verdict, /\w/);
    assert.match(report.html, /^<!DOCTYPE html>/i);
    assert.ok((report.html.match(/<svg/g) ?? []).length >= 3);
    assert.equal(
      (await run(operation("experiments.graphql"), { id: "nope" }, { operationName: "ExperimentReport" }))
        .experimentReport,
      null,
    );
  });

  it("refuses a second test while one runs, a reused id, a bad split, and a partner key", async () => {
    const start = (input: unknown, role: "admin" | "partner" = "admin") =>
      run(
        operation("experiments.graphql"),
        { input },
        { operationName: "StartExperiment", role, errors: true },
      );
    const arms = [{ name: "a" }, { name: "b" }];
    const running = (await start({ id: "second", arms })).data.startExperiment;
    assert.match(running.reasons[0], /quota-test is running/);
    const stopped = await run(
      operation("experiments.graphql"),
      { id: "quota-test" },
      { operationName: "StopExperiment" },
    );
    assert.equal(stopped.stopExperiment.status, "stopped");
    assert.match((await start({ id: "quota-test", arms })).data.startExperiment.reasons[0], /new id/);
    const split = (
      await start({
        id: "split",
        arms: [
          { name: "a", weight: 0.6 },
          { name: "b", weight: 0.6 },
        ],
      })
    ).data.startExperiment;
    assert.match(split.reasons.join(), /sum to 1/);
    const partner = await start({ id: "mine", arms }, "partner");
    assert.ok(partner.errors?.length, "a partner key started an experiment");
    assert.equal((await page("demo-user-0")).experiment, null, "a stopped test still serves arms");
  });

  it("a config-defined test is stored once; changing its split later is refused at start", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "experiments-")), "experiments.json");
    const def = {
      id: "from-config",
      arms: [{ name: "control" }, { name: "fixed", settings: { ranker: "fixed" } }],
    };
    writeFileSync(file, JSON.stringify([def]));
    const first = await startExperiments(store, { file, refreshSeconds: 3600, log: silentLogger });
    first.close();
    const stored = (await store.experiments()).find((e) => e.id === "from-config")!;
    assert.deepEqual(
      stored.arms.map((a) => a.weight),
      [0.9, 0.1],
    );
    assert.equal(stored.createdBy, "config");
    const again = await startExperiments(store, { file, refreshSeconds: 3600, log: silentLogger });
    again.close(); // the same file again: nothing changes
    writeFileSync(
      file,
      JSON.stringify([
        {
          ...def,
          arms: [
            { name: "control", weight: 0.5 },
            { name: "fixed", weight: 0.5 },
          ],
        },
      ]),
    );
    await assert.rejects(
      startExperiments(store, { file, refreshSeconds: 3600, log: silentLogger }),
      (err) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /from-config already ran with other arms or weights/);
        return true;
      },
    );
    await store.stopExperiment("from-config", new Date());
    await experiments.refresh();
  });

  it("a click keeps the video off later pages; videos shown three times and never clicked move down, and explain says so", async () => {
    const user = "demo-user-5";
    const shown = await page(user);
    const clicked = shown.items[0].video.videoId;
    const ignored = shown.items[1].video.videoId;
    const impressions = async (p: any) =>
      send([
        {
          clientEventId: id(),
          kind: "IMPRESSION",
          servedId: p.servedId,
          positions: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        },
      ]);
    await impressions(shown);
    await impressions(await page(user));
    await impressions(await page(user));
    assert.equal(
      (await send([{ clientEventId: id(), kind: "CLICK", servedId: shown.servedId, position: 1 }])).accepted,
      1,
    );
    const next = await page(user, true);
    const ids = next.items.map((i: any) => i.video.videoId);
    assert.ok(!ids.includes(clicked), "the clicked video came back");
    // Without the rule the same nine would lead the page again; with it, fewer come back, each noted.
    const ignoredIds = shown.items.slice(1).map((i: any) => i.video.videoId);
    const back = next.items.filter((i: any) => ignoredIds.includes(i.video.videoId));
    assert.ok(back.length < ignoredIds.length, `all ${back.length} ignored videos are back`);
    for (const item of back)
      assert.ok(
        item.explain.rules.some((r: string) => /shown 3 times, never clicked: moved down/.test(r)),
        `${item.video.videoId} came back without a note: ${item.explain.rules.join("; ")}`,
      );
    assert.notEqual(ids[0], ignored, "an ignored video kept its place at the top");
  });

  it("with the event store down, pages are still served (without a servedId) and events answer SERVICE_UNAVAILABLE", async () => {
    const dying = await startTestPostgres();
    const doomed = await openTestStore(dying);
    const down = testServices(w, encoder, undefined, { events: doomed });
    const downRun = runner(
      () => schema,
      () => down,
    );
    const { servedId } = (await downRun(operation("recommendations.graphql"), { userId: "demo-user-3" }))
      .recommendations;
    await dying.dispose();
    try {
      const served = (await downRun(operation("recommendations.graphql"), { userId: "demo-user-3" }))
        .recommendations;
      assert.equal(served.__typename, "RecommendationPage");
      assert.equal(served.servedId, null);
      const result = await downRun(
        operation("events.graphql"),
        { events: [{ clientEventId: "x", kind: "CLICK", servedId, position: 1 }] },
        { errors: true },
      );
      assert.equal(result.errors?.[0]?.extensions?.code, "SERVICE_UNAVAILABLE");
    } finally {
      await doomed.close();
    }
  });
});
