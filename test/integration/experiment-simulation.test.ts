import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Services } from "../../src/api/services.js";
import { startExperiments, type ExperimentsService } from "../../src/app/experiments-service.js";
import type { Encoder } from "../../src/embed/encoder.js";
import type { EventStore } from "../../src/events/event-store.js";
import { ingestPast } from "../../src/offline/eval/ingest-past.js";
import { timeSplit } from "../../src/offline/eval/time-split.js";
import { runAaTests } from "../../src/offline/simulation/aa-run.js";
import { runAbTest, type AbResult } from "../../src/offline/simulation/ab-run.js";
import { meteredStore, newMeter } from "../../src/offline/simulation/event-meter.js";
import { feedbackEffect } from "../../src/offline/simulation/feedback-effect.js";
import { pageRequest } from "../../src/offline/simulation/serve-day.js";
import { sampleUsers } from "../../src/offline/simulation/users.js";
import type { SimulationWorld } from "../../src/offline/simulation/world.js";
import { silentLogger } from "../../src/platform/logger.js";
import { userInterest } from "../../src/store/interest-lookup.js";
import { demoDump } from "../helpers/demo-dump.js";
import { testEncoder } from "../helpers/encoder.js";
import { openTestStore, startTestPostgres, type TestPostgres } from "../helpers/event-store.js";
import { testServices } from "../helpers/services.js";
import { startTestWeaviate, type TestWeaviate } from "../helpers/weaviate.js";

// The experiment simulation's machinery on the demo catalogue: real Weaviate, encoder, PostgreSQL
// and services; few days and repetitions, so it proves the plumbing, not the statistics.
describe("experiment simulation (live Weaviate and PostgreSQL)", () => {
  let w: TestWeaviate;
  let encoder: Encoder;
  let pg: TestPostgres;
  let store: EventStore;
  let experiments: ExperimentsService;
  let world: SimulationWorld;
  let ab: AbResult;
  const { dir } = demoDump();
  const users = sampleUsers(timeSplit(dir).users, 30, 5);
  const start = new Date("2026-01-04T12:00:00Z");
  let now = start;

  before(async () => {
    [w, encoder, pg] = await Promise.all([startTestWeaviate(), testEncoder(), startTestPostgres()]);
    await ingestPast(dir, timeSplit(dir).users, { weaviate: w, encoder, log: silentLogger }, () => {});
    const meter = newMeter();
    store = meteredStore(await openTestStore(pg, 365), meter);
    experiments = await startExperiments(store, { refreshSeconds: 3600, log: silentLogger, now: () => now });
    const services: Services = testServices(w, encoder, undefined, {
      events: store,
      experiments,
      now: () => now,
    });
    world = { services, store, meter, setTime: (at) => (now = at) };
    ab = await runAbTest(world, users, { days: 3, seed: 11, start });
  });
  after(async () => {
    experiments?.close();
    await store?.close();
    await pg?.dispose();
    await encoder?.dispose();
    await w?.dispose();
  });

  it("serves pages through the service, and every event the app sends is accepted", () => {
    assert.ok(ab.pagesServed >= users.length, `only ${ab.pagesServed} pages for ${users.length} users`);
    assert.equal(ab.tally.refused, 0);
    assert.equal(ab.tally.unserved, 0);
    assert.ok(ab.tally.accepted >= ab.pagesServed, "at least the impression of every page");
    assert.ok(world.meter.append.events >= ab.tally.accepted && world.meter.append.seconds > 0);
    assert.equal(world.meter.record.events, ab.tally.accepted + ab.tally.duplicate + ab.tally.refused);
  });

  it("clicks land: in the event store's feedback, in Weaviate's engaged videos, and off the next page", async () => {
    const [userId, trace] = [...ab.traces].find(([, t]) => t.clicked.size > 0)!;
    const clicked = [...trace.clicked];
    assert.deepEqual((await store.userFeedback(userId, { ignoredAfter: 3 })).clicked.sort(), clicked.sort());
    const interest = await userInterest(w, userId);
    for (const v of clicked)
      assert.ok(interest!.commentedVideoIds.includes(v), `${v} not engaged in Weaviate`);
    for (const v of clicked) assert.ok(!trace.finalPage!.includes(v), `clicked ${v} served again`);
    const effect = feedbackEffect(users, ab.traces, "fixed", { days: 3, seed: 11 });
    assert.ok(effect.withFeedback.users > 0);
  });

  it("reports the test as the admin API does: both arms, every day, the events counted", () => {
    const r = ab.report;
    assert.deepEqual(
      r.totals.map((t) => t.arm),
      ["fixed", "learned"],
    );
    assert.equal(r.fullDays, 3);
    const visited = [...ab.traces.values()].filter((t) => t.firstPage).length;
    assert.ok(visited > users.length / 2);
    assert.equal(
      r.totals.reduce((s, t) => s + t.usersServed, 0),
      visited,
    );
    assert.equal(r.events, ab.tally.accepted);
    // Every page sent one impression event, every click a click and a dwell event.
    const clicks = (ab.tally.accepted - ab.pagesServed) / 2;
    assert.equal(
      r.totals.reduce((s, t) => s + t.clicks, 0),
      clicks,
    );
    assert.equal(
      r.totals.reduce((s, t) => s + t.itemImpressions, 0),
      ab.pagesServed * 10,
    );
    assert.equal(r.comparisons[0]!.ctr.history.length, 3);
    assert.match(ab.html, /<html/i);
    assert.ok(r.verdict.length > 0);
  });

  it("a seeded A/A run is deterministic, and another seed draws other figures", async () => {
    const pages = new Map<string, string[]>();
    for (const u of users) {
      const page = await world.services.recommend(pageRequest(u.userId));
      if (page.kind === "page")
        pages.set(
          u.userId,
          page.items.map((it) => it.videoId),
        );
    }
    const run = (seed: number, idPrefix: string) =>
      runAaTests(world, users, pages, { reps: 2, days: 3, seed, start, idPrefix });
    const [a, b, c] = [await run(3, "aa-one"), await run(3, "aa-two"), await run(4, "aa-three")];
    const figures = (r: typeof a) => r.reps.map(({ experimentId: _id, ...rest }) => rest);
    assert.deepEqual(figures(a), figures(b));
    assert.ok(a.reps.every((r) => r.events > 0 && r.users > 0 && r.ctrP !== null));
    assert.notDeepEqual(figures(a), figures(c));
    assert.deepEqual(a.lastReport!.totals, b.lastReport!.totals);
  });
});
