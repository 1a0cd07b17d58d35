import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { AppEvent } from "../../src/domain/app-events.js";
import type { ArmMoments } from "../../src/domain/experiment-aggregates.js";
import type { Experiment } from "../../src/domain/experiment.js";
import { openEventStore, type EventStore } from "../../src/events/event-store.js";
import { EventStoreUnavailableError } from "../../src/events/event-store-error.js";
import { freePort } from "../../src/platform/free-port.js";
import { ErrorCode } from "../../src/platform/errors.js";
import { silentLogger } from "../../src/platform/logger.js";
import {
  click,
  dwell,
  impression,
  openTestStore,
  page,
  startTestPostgres,
  type TestPostgres,
} from "../helpers/event-store.js";

const D1 = new Date("2026-01-05T23:30:00Z"); // late on day 1: days are UTC days of servedAt
const D2 = new Date("2026-01-06T00:10:00Z");
const exp = (arm: string) => ({ experimentId: "exp", arm, sponsoredAt: [1] });

/** 2 arms, 3 users, 2 days; u2 is silent on day 2. */
async function scenario(store: EventStore): Promise<AppEvent[]> {
  await store.recordServedPage(page("p1", { userId: "u1", servedAt: D1, ...exp("control") }));
  await store.recordServedPage(page("p2", { userId: "u1", servedAt: D2, ...exp("control") }));
  await store.recordServedPage(page("p3", { userId: "u2", servedAt: D1, ...exp("control") }));
  await store.recordServedPage(page("p4", { userId: "u2", servedAt: D1, ...exp("control") }));
  await store.recordServedPage(page("p5", { userId: "u3", servedAt: D1, ...exp("treat") }));
  await store.recordServedPage(page("p6", { userId: "u3", servedAt: D2, ...exp("treat") }));
  const late = { ...click("u1-c1", "p1", 2), occurredAt: new Date("2026-01-09T00:00:00Z") }; // ignored for days
  return [
    impression("u1-i1", "p1", [1, 2, 3, 4]),
    late,
    dwell("u1-d1", "p1", 2, 3000),
    impression("u1-i2", "p2", [1, 2]),
    click("u1-c2", "p2", 1),
    click("u1-c3", "p2", 2),
    dwell("u1-d2", "p2", 1, 1000),
    dwell("u1-d3", "p2", 2, 2000),
    impression("u2-i1", "p3", [1, 2, 3]),
    impression("u3-i1", "p5", [1, 2, 3, 4, 5]),
    click("u3-c1", "p5", 3),
    dwell("u3-d1", "p5", 3, 6000),
    impression("u3-i2", "p6", [1]),
  ];
}

/** [n, Σx, Σy, Σx², Σy², Σxy] of ctr and of dwell, computed by hand below. */
const m = (ctr: number[], dwellM: number[]): ArmMoments => {
  const r = ([users, sumX, sumY, sumXX, sumYY, sumXY]: number[]) => ({
    users,
    sumX,
    sumY,
    sumXX,
    sumYY,
    sumXY,
  });
  return { ctr: r(ctr) as ArmMoments["ctr"], dwell: r(dwellM) as ArmMoments["dwell"] };
};

describe("event store (live embedded PostgreSQL)", () => {
  let pgServer: TestPostgres;
  before(async () => {
    pgServer = await startTestPostgres();
  });
  after(() => pgServer.dispose());

  test("aggregates match hand-computed sums; a retried batch changes nothing and reports duplicates", async () => {
    const store = await openTestStore(pgServer);
    const events = await scenario(store);
    const first = await store.appendEvents("app", events);
    assert.deepEqual(
      first.map((o) => o.status),
      events.map(() => "accepted"),
    );
    assert.deepEqual(first[1], {
      clientEventId: "u1-c1",
      status: "accepted",
      click: { userId: "u1", videoId: "p1-v2" },
    });
    const expected = await store.aggregates("exp");
    // control day 1: u1 (clicks 1, imps 4, dwell 3000 ms / 1), u2 (0, 3); pages p1, p3, p4.
    // control day 2: u1 (2, 2, dwell 3000 / 2). treat: u3 day 1 (1, 5, 6000 / 1), day 2 (0, 1).
    assert.deepEqual(expected.days, [
      {
        arm: "control",
        day: "2026-01-05",
        usersServed: 2,
        pagesServed: 3,
        ...m([2, 1, 7, 1, 25, 4], [1, 3000, 1, 9e6, 1, 3000]),
      },
      {
        arm: "control",
        day: "2026-01-06",
        usersServed: 1,
        pagesServed: 1,
        ...m([1, 2, 2, 4, 4, 4], [1, 3000, 2, 9e6, 4, 6000]),
      },
      {
        arm: "treat",
        day: "2026-01-05",
        usersServed: 1,
        pagesServed: 1,
        ...m([1, 1, 5, 1, 25, 5], [1, 6000, 1, 36e6, 1, 6000]),
      },
      {
        arm: "treat",
        day: "2026-01-06",
        usersServed: 1,
        pagesServed: 1,
        ...m([1, 0, 1, 0, 1, 0], [0, 0, 0, 0, 0, 0]),
      },
    ]);
    // Cumulative at day 2: u1 (3, 6, dwell 6000 / 3) and silent u2 still (0, 3); u3 (1, 6, 6000 / 1).
    assert.deepEqual(expected.looks, [
      {
        arm: "control",
        day: "2026-01-05",
        usersServed: 2,
        ...m([2, 1, 7, 1, 25, 4], [1, 3000, 1, 9e6, 1, 3000]),
      },
      {
        arm: "control",
        day: "2026-01-06",
        usersServed: 2,
        ...m([2, 3, 9, 9, 45, 18], [1, 6000, 3, 36e6, 9, 18000]),
      },
      {
        arm: "treat",
        day: "2026-01-05",
        usersServed: 1,
        ...m([1, 1, 5, 1, 25, 5], [1, 6000, 1, 36e6, 1, 6000]),
      },
      {
        arm: "treat",
        day: "2026-01-06",
        usersServed: 1,
        ...m([1, 1, 6, 1, 36, 6], [1, 6000, 1, 36e6, 1, 6000]),
      },
    ]);
    const pos = (arm: string, position: number, sponsored: boolean, impressions: number, clicks: number) => ({
      arm,
      position,
      sponsored,
      impressions,
      clicks,
    });
    assert.deepEqual(expected.positions, [
      pos("control", 1, true, 3, 1),
      pos("control", 2, false, 3, 2),
      pos("control", 3, false, 2, 0),
      pos("control", 4, false, 1, 0),
      pos("treat", 1, true, 2, 0),
      pos("treat", 2, false, 1, 0),
      pos("treat", 3, false, 1, 1),
      pos("treat", 4, false, 1, 0),
      pos("treat", 5, false, 1, 0),
    ]);
    assert.equal(expected.events, 13);

    const again = await store.appendEvents("app", events);
    assert.deepEqual(
      again.map((o) => o.status),
      events.map(() => "duplicate"),
    );
    assert.deepEqual(await store.aggregates("exp"), expected);
    // The same client id from another source is another event.
    assert.equal((await store.appendEvents("web", [events[0]!]))[0]!.status, "accepted");
    await store.close();
  });

  test("an event repeated inside one batch is stored once", async () => {
    const store = await openTestStore(pgServer);
    await store.recordServedPage(page("p", { userId: "u", servedAt: D1, ...exp("a") }));
    const out = await store.appendEvents("app", [
      click("c", "p", 1),
      click("c", "p", 1),
      impression("i", "p", [1]),
    ]);
    assert.deepEqual(
      out.map((o) => o.status),
      ["accepted", "duplicate", "accepted"],
    );
    assert.equal((await store.aggregates("exp")).days[0]!.ctr.sumX, 1);
    await store.close();
  });

  test("each kind of bad event is refused with its reason; the rest of the batch lands", async () => {
    const store = await openTestStore(pgServer);
    await store.recordServedPage(page("p", { userId: "u", servedAt: D1, ...exp("a") }));
    const out = await store.appendEvents("app", [
      click("unknown", "nope", 1),
      click("off-page", "p", 12),
      impression("none", "p", []),
      impression("repeat", "p", [1, 2, 1]),
      impression("too-many", "p", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
      dwell("negative", "p", 1, -5),
      dwell("fraction", "p", 1, 1.5),
      dwell("long", "p", 1, 6 * 3600_000 + 1),
      click("", "p", 1),
      click("x".repeat(129), "p", 1),
      impression("good", "p", [1, 2]),
    ]);
    const reasons = out.map((o) => (o.status === "refused" ? o.reason : o.status));
    assert.match(reasons[0]!, /unknown servedId "nope"/);
    assert.equal(reasons[1], "position 12 is not on page p (10 items)");
    assert.match(reasons[2]!, /no positions/);
    assert.match(reasons[3]!, /repeats position 1/);
    assert.match(reasons[4]!, /11 positions, more than the page p \(10 items\)/);
    assert.match(reasons[5]!, /negative/);
    assert.match(reasons[6]!, /not a whole number/);
    assert.match(reasons[7]!, /over 6 hours/);
    assert.match(reasons[8]!, /clientEventId is empty/);
    assert.match(reasons[9]!, /129 characters \(at most 128\)/);
    assert.equal(reasons[10], "accepted");
    const agg = await store.aggregates("exp");
    assert.equal(agg.events, 1);
    assert.equal(agg.days[0]!.ctr.sumY, 2);
    await store.close();
  });

  test("userFeedback: clicked videos, and videos shown N times without a click", async () => {
    const store = await openTestStore(pgServer);
    await store.recordServedPage(page("f", { userId: "fu", servedAt: D1, n: 5 }));
    await store.appendEvents("app", [
      ...[1, 2, 3].map((k) => impression(`i${k}`, "f", [1, 2, 3])),
      impression("i4", "f", [4]),
      click("c", "f", 2),
    ]);
    const fb = await store.userFeedback("fu", { ignoredAfter: 3 });
    assert.deepEqual(fb.clicked, ["f-v2"]);
    assert.deepEqual(
      [...fb.ignored],
      [
        ["f-v1", 3],
        ["f-v3", 3],
      ],
    );
    assert.equal((await store.userFeedback("fu", { ignoredAfter: 4 })).ignored.size, 0);
    assert.deepEqual(await store.userFeedback("someone-else", { ignoredAfter: 1 }), {
      clicked: [],
      ignored: new Map(),
    });
    await store.close();
  });

  test("retention deletes old events and pages; the rollups stay", async () => {
    const store = await openTestStore(pgServer, 30);
    const now = new Date("2026-03-01T12:00:00Z");
    const old = new Date(now.getTime() - 31 * 86_400_000);
    await store.recordServedPage(page("old", { userId: "u", servedAt: old, ...exp("a") }));
    await store.recordServedPage(page("new", { userId: "u", servedAt: now, ...exp("a") }));
    await store.appendEvents("app", [
      impression("o1", "old", [1]),
      click("o2", "old", 1),
      impression("n1", "new", [1]),
    ]);
    assert.deepEqual(await store.applyRetention(now), { events: 2, pages: 1 });
    assert.deepEqual(await store.applyRetention(now), { events: 0, pages: 0 });
    assert.equal((await store.aggregates("exp")).events, 3);
    assert.equal((await store.userFeedback("u", { ignoredAfter: 1 })).clicked.length, 0);
    const late = await store.appendEvents("app", [click("o3", "old", 1)]);
    assert.equal(late[0]!.status, "refused");
    await store.close();
  });

  test("experiments: save once, list newest first with Dates, stop", async () => {
    const store = await openTestStore(pgServer);
    const e = (id: string, startedAt: string): Experiment => ({
      id,
      description: `test ${id}`,
      salt: "s",
      createdBy: "config",
      status: "running",
      startedAt: new Date(startedAt),
      arms: [
        { name: "control", weight: 0.5, settings: {} },
        { name: "b", weight: 0.5, settings: { rerank: false, maxPerCreator: 2 } },
      ],
    });
    assert.equal(await store.saveExperiment(e("one", "2026-01-01T00:00:00Z")), "created");
    assert.equal(
      await store.saveExperiment({ ...e("one", "2026-01-01T00:00:00Z"), description: "changed" }),
      "exists",
    );
    // One test runs at a time, whichever replica asks: the database refuses a second running one.
    assert.equal(await store.saveExperiment(e("two", "2026-02-01T00:00:00Z")), "another-running");
    const at = new Date("2026-02-10T08:00:00Z");
    assert.deepEqual(await store.stopExperiment("one", at), {
      ...e("one", "2026-01-01T00:00:00Z"),
      status: "stopped",
      stoppedAt: at,
    });
    assert.equal((await store.stopExperiment("one", new Date()))!.stoppedAt!.getTime(), at.getTime());
    assert.equal(await store.stopExperiment("nope", at), undefined);
    assert.equal(await store.saveExperiment(e("two", "2026-02-01T00:00:00Z")), "created");
    const listed = await store.experiments();
    assert.deepEqual(listed, [
      e("two", "2026-02-01T00:00:00Z"),
      { ...e("one", "2026-01-01T00:00:00Z"), status: "stopped", stoppedAt: at },
    ]);
    await store.close();
  });

  test("two stores on one database (two replicas) append concurrently; counts add up exactly", async () => {
    const url = await pgServer.database();
    const open = () => openEventStore({ url, dataDir: "", retentionDays: 30, log: silentLogger });
    const [a, b] = await Promise.all([open(), open()]); // both migrate at once
    const users = ["r1", "r2", "r3", "r4", "r5"];
    for (const u of users) await a.recordServedPage(page(u, { userId: u, servedAt: D1, ...exp("a") }));
    const batch = (store: EventStore, tag: string, k: number) =>
      store.appendEvents(
        "app",
        users.flatMap((u) => [
          impression(`${tag}-${k}-${u}-i`, u, [1, 2, 3]),
          click(`${tag}-${k}-${u}-c`, u, 2),
        ]),
      );
    const runs = (store: EventStore, tag: string) =>
      (async () => {
        for (let k = 0; k < 15; k++) await Promise.all([batch(store, tag, k), batch(store, `${tag}x`, k)]);
      })();
    await Promise.all([runs(a, "a"), runs(b, "b")]);
    const agg = await b.aggregates("exp");
    assert.equal(agg.events, 4 * 15 * users.length * 2);
    assert.equal(agg.days[0]!.ctr.sumY, 4 * 15 * users.length * 3);
    assert.equal(agg.positions.find((p) => p.position === 2)!.clicks, 4 * 15 * users.length);
    await Promise.all([a.close(), b.close()]);
  });

  test("a server that is not there, or a data folder that is a file, fails with EVENT_STORE_UNAVAILABLE", async () => {
    const url = `postgres://postgres:pw@127.0.0.1:${await freePort()}/events`;
    await assert.rejects(openEventStore({ url, dataDir: "", retentionDays: 1, log: silentLogger }), (err) => {
      assert.ok(err instanceof EventStoreUnavailableError);
      assert.equal(err.code, ErrorCode.EventStoreUnavailable);
      assert.match(err.message, /postgres:\*\*\*@127\.0\.0\.1.*down or unreachable/);
      return true;
    });
    const file = join(tmpdir(), `events-not-a-folder-${process.pid}`);
    writeFileSync(file, "x");
    await assert.rejects(
      openEventStore({ dataDir: file, retentionDays: 1, log: silentLogger }),
      /is not a folder/,
    );
    const store = await openTestStore(pgServer);
    await store.close();
    await assert.rejects(store.ping(), EventStoreUnavailableError);
  });
});
