import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { hashKey } from "../../src/platform/config/api-keys.js";
import { operation } from "../helpers/operations.js";
import { startServerProcess, type ServerProcess } from "../helpers/server-process.js";

const KEY = "partner-key-for-event-crash-tests";
const ENV = { API_KEYS: `app:partner:${hashKey(KEY)}`, RECOMMEND_CACHE_SECONDS: "0" };
const PER_BATCH = 200;

async function post(api: ServerProcess, query: string, variables: unknown): Promise<any> {
  const res = await fetch(api.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": KEY },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** Batch k: PER_BATCH impressions of one page, with ids no other batch uses. */
const batch = (k: number, servedId: string) =>
  Array.from({ length: PER_BATCH }, (_, i) => ({
    clientEventId: `b${k}-${i}`,
    kind: "IMPRESSION",
    servedId,
    positions: [1 + (i % 10)],
  }));

// The API is SIGKILLed while a recordEvents batch is in flight; after a restart on the same data
// folders the app resends everything: each event is stored exactly once, none is lost.
describe("events survive an API killed mid-batch (server process, embedded PostgreSQL)", () => {
  let api: ServerProcess | undefined;
  after(() => void api?.child.kill("SIGKILL"));

  it("acknowledged batches are kept, the one in flight is all or nothing, and a resend counts each event once", async (t) => {
    api = await startServerProcess(ENV);
    const dataDir = api.dataDir;
    const served = await post(api, operation("recommendations.graphql"), { userId: "demo-user-0" });
    const servedId: string = served.recommendations.servedId;
    assert.ok(servedId, "the page has no servedId");
    const send = (target: ServerProcess, k: number) =>
      post(target, operation("events.graphql"), { events: batch(k, servedId) });

    const acknowledged: number[] = [];
    for (let k = 0; k < 5; k++) {
      assert.equal((await send(api, k)).recordEvents.accepted, PER_BATCH);
      acknowledged.push(k);
    }
    const inFlight = send(api, 5).then(
      () => "answered",
      () => "cut",
    );
    await new Promise((r) => setTimeout(r, 5));
    api.child.kill("SIGKILL");
    await api.exited;
    const fate = await inFlight;

    api = await startServerProcess(ENV, { dataDir });
    const again = await post(api, operation("recommendations.graphql"), { userId: "demo-user-0" });
    assert.equal(again.recommendations.__typename, "RecommendationPage");
    for (const k of acknowledged) {
      const resent: { accepted: number; duplicates: number } = (await send(api, k)).recordEvents;
      assert.deepEqual([resent.accepted, resent.duplicates], [0, PER_BATCH], `batch ${k} was not kept whole`);
    }
    const cut = (await send(api, 5)).recordEvents;
    assert.ok(
      (cut.accepted === PER_BATCH && cut.duplicates === 0) ||
        (cut.accepted === 0 && cut.duplicates === PER_BATCH),
      `the batch in flight (${fate}) was stored in part: ${cut.accepted} new, ${cut.duplicates} kept`,
    );
    if (fate === "answered") assert.equal(cut.duplicates, PER_BATCH, "an answered batch was lost");
    t.diagnostic(
      `the batch in flight was ${fate}; after the restart it was ${cut.accepted ? "new" : "kept"}`,
    );
    const fresh = (await send(api, 6)).recordEvents;
    assert.equal(fresh.accepted, PER_BATCH);
    const last = (await send(api, 5)).recordEvents;
    assert.equal(last.duplicates, PER_BATCH, "the resent batch is now counted once");
  });
});
