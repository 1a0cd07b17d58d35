import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startApp, type App } from "../../src/app/start-app.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { writeDemoCatalogue } from "../../src/ingest/demo/demo-catalogue.js";
import { hashKey } from "../../src/platform/config/api-keys.js";
import { silentLogger } from "../../src/platform/logger.js";
import { operation } from "../helpers/operations.js";

const PARTNER = "partner-key-for-tests";
const ADMIN = "admin-key-for-tests";

// The whole service in-process: real Weaviate child, real encoder, real HTTP.
describe("HTTP API", () => {
  let app: App;
  let base: string;
  const root = mkdtempSync(join(tmpdir(), "tiktok-recs-http-"));
  const demo = writeDemoCatalogue(join(root, "expected-demo"));

  before(async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: "0",
      WEAVIATE_DATA_DIR: join(root, "weaviate"),
      API_KEYS: `frontend:partner:${hashKey(PARTNER)},ops:admin:${hashKey(ADMIN)}`,
    };
    delete env.WEAVIATE_URL;
    app = await startApp(loadConfig(env), silentLogger);
    base = app.server.url.replace(/\/graphql$/, "");
  });
  after(async () => {
    await app?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string> = { "x-api-key": PARTNER }) =>
    fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  const query = (q: string, variables: Record<string, unknown> = {}, headers?: Record<string, string>) =>
    post(JSON.stringify({ query: q, variables }), headers);

  it("seeds a fresh store with the demo catalogue and lists that run", async () => {
    const res = await query(
      "{ ingestRuns(limit: 5) { trigger status videos comments embedded errors finishedAt } }",
      {},
      { "x-api-key": ADMIN },
    );
    const { data } = (await res.json()) as { data: { ingestRuns: any[] } };
    assert.equal(data.ingestRuns.length, 1);
    const [run] = data.ingestRuns;
    assert.equal(run.trigger, "startup:demo-catalogue");
    assert.equal(run.status, "succeeded");
    assert.equal(run.videos, demo.videos);
    assert.equal(run.comments, demo.comments);
    assert.deepEqual(run.errors, []);
  });

  it("answers the status query with Weaviate's version, counts and the encoder", async () => {
    const res = await post(
      JSON.stringify({
        query:
          "{ status { version weaviate { version mode counts { className objects } } encoder { modelId dimensions executionProvider executionProviderReason } } }",
      }),
    );
    assert.equal(res.status, 200);
    const { data } = (await res.json()) as { data: { status: any } };
    assert.equal(data.status.weaviate.version, "1.39.0");
    assert.equal(data.status.weaviate.mode, "EMBEDDED");
    assert.equal(data.status.weaviate.counts.length, 10);
    const counts = Object.fromEntries(
      data.status.weaviate.counts.map((c: { className: string; objects: number }) => [
        c.className,
        c.objects,
      ]),
    );
    assert.deepEqual(counts, {
      Cohort: 0,
      Comment: demo.comments,
      Creator: demo.creators,
      CreatorBio: demo.creators,
      Curation: 0,
      IngestRun: 1,
      UserInterest: demo.commenters,
      UserProfile: 0,
      UserVideoInterest: demo.commenters,
      Video: demo.videos,
    });
    assert.match(data.status.encoder.modelId, /all-MiniLM-L6-v2@onnx-(fp32|q8)/);
    assert.equal(data.status.encoder.dimensions, 384);
    assert.equal(data.status.encoder.executionProvider, "cpu");
    // No CUDA provider in this checkout's onnxruntime-node: auto fell back and says why, and the fix.
    assert.match(
      data.status.encoder.executionProviderReason,
      /^CUDA unavailable: onnxruntime-node has no CUDA provider .*npm run provision -- --cuda/,
    );
  });

  it("serves liveness and readiness", async () => {
    assert.equal((await fetch(`${base}/health/live`)).status, 200);
    const ready = await fetch(`${base}/health/ready`);
    assert.equal(ready.status, 200);
    const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    assert.ok(["ready", "degraded"].includes(body.status), JSON.stringify(body));
    assert.equal(body.checks.weaviate?.ok, true);
    assert.equal(body.checks.encoder?.ok, true);
  });

  it("rejects bad requests cleanly", async () => {
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    assert.equal((await post("{not json")).status, 400);
    assert.equal((await post(JSON.stringify({ query: "x".repeat(2_000_000) }))).status, 413);
    const invalid = await post(JSON.stringify({ query: "{ status { nope } }" }));
    assert.equal(invalid.status, 400);
    const body = (await invalid.json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]!.extensions.code, "GRAPHQL_VALIDATION_FAILED");
  });

  it("serves recommendations to a partner key", async () => {
    const res = await query(operation("recommendations.graphql"), {
      userId: "demo-user-skater-pt",
      first: 5,
    });
    assert.equal(res.status, 200);
    const { data } = (await res.json()) as {
      data: { recommendations: { __typename: string; items: unknown[] } };
    };
    assert.equal(data.recommendations.__typename, "RecommendationPage");
    assert.equal(data.recommendations.items.length, 5);
  });

  it("gives no data without a valid key, and admin data only to an admin key", async () => {
    for (const headers of [{}, { "x-api-key": "wrong" }, { authorization: "Bearer wrong" }] as Record<
      string,
      string
    >[]) {
      const res = await query("{ status { version } }", {}, headers);
      assert.equal(res.status, 401);
      const body = (await res.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
      assert.equal(body.data, undefined);
      assert.equal(body.errors[0]!.extensions.code, "UNAUTHENTICATED");
    }
    const denied = (await (await query("{ ingestRuns { runId } }")).json()) as {
      data: unknown;
      errors: { extensions: { code: string } }[];
    };
    assert.equal(denied.data, null);
    assert.equal(denied.errors[0]!.extensions.code, "UNAUTHORIZED");
    const sneaky = (await (await query("{ s: status { version } r: ingestRuns { runId } }")).json()) as {
      data: { r: unknown };
      errors: unknown[];
    };
    assert.equal(sneaky.data, null, "an admin field hidden behind an alias must not run");
  });

  it("refuses abusive documents before running them, and keeps CSRF prevention on", async () => {
    const aliases = Array.from({ length: 1200 }, (_, i) => `a${i}: status { version }`).join(" ");
    const bomb = await query(`{ ${aliases} }`);
    assert.equal(bomb.status, 400);
    const body = (await bomb.json()) as {
      data?: unknown;
      errors: { message: string; extensions: { code: string } }[];
    };
    assert.equal(body.data, undefined);
    assert.match(body.errors[0]!.message, /more than 1000 fields/);
    const csrf = await fetch(`${base}/graphql?query=${encodeURIComponent("{ status { version } }")}`, {
      headers: { "x-api-key": PARTNER },
    });
    assert.equal(csrf.status, 400, "a simple GET without a preflight header must be refused");
  });

  it("bounds the Weaviate calls of a page (no N+1): the same count for 5 items as for 20, each with its creator", async () => {
    const weaviateCalls = async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return text
        .split("\n")
        .filter((l) => l.startsWith("weaviate_calls_total{"))
        .reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);
    };
    const costOf = async (userId: string, first: number) => {
      const before = await weaviateCalls();
      const res = await query(operation("recommendations.graphql"), { userId, first });
      const { data } = (await res.json()) as {
        data: { recommendations: { items: { video: { creator: { creatorId: string } } }[] } };
      };
      assert.equal(data.recommendations.items.length, first);
      assert.ok(data.recommendations.items.every((i) => i.video.creator.creatorId));
      return (await weaviateCalls()) - before;
    };
    const five = await costOf("demo-user-1", 5);
    const twenty = await costOf("demo-user-2", 20);
    assert.equal(twenty, five, `a page of 20 cost ${twenty} Weaviate calls, a page of 5 cost ${five}`);
    assert.ok(twenty <= 10, `a page cost ${twenty} Weaviate calls`);
  });

  it("reports the rerank stage in status and /metrics, and says why it is off", async () => {
    const res = await query("{ status { reranker { enabled modelId budgetMs reason } } }");
    const { data } = (await res.json()) as { data: { status: { reranker: any } } };
    assert.equal(data.status.reranker.enabled, false);
    assert.match(data.status.reranker.reason, /not provisioned|RERANK_MODEL/);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /^rerank_enabled\{model="[^"]+",provider="none"\} 0$/m);
    assert.match(metrics, /^encoder_execution_provider\{model="[^"]+",provider="cpu"\} 1$/m);
    assert.match(metrics, /^# TYPE weaviate_calls_total counter$/m);
  });

  it("reports the process's memory at /metrics", async () => {
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const value = (name: string) =>
      Number(new RegExp(`^${name} (\\d+)$`, "m").exec(metrics)?.[1] ?? Number.NaN);
    const rss = value("process_resident_memory_bytes");
    assert.ok(rss > 20e6 && rss < 64e9, `resident memory ${rss} bytes`);
    assert.ok(value("nodejs_heap_size_used_bytes") > 1e6, "heap in use");
    assert.ok(
      value("nodejs_heap_size_used_bytes") <= value("nodejs_heap_size_total_bytes"),
      "heap used <= heap total",
    );
    assert.match(metrics, /^# TYPE process_resident_memory_bytes gauge$/m);
  });

  it("lets only an admin trigger ingestion, and says why nothing started when no creators are tracked", async () => {
    const mutation = "mutation { triggerIngestion { started message } }";
    const partner = (await (await query(mutation)).json()) as {
      errors?: { extensions: { code: string } }[];
      data?: unknown;
    };
    assert.equal(partner.errors?.[0]?.extensions.code, "UNAUTHORIZED");
    const admin = (await (await query(mutation, {}, { "x-api-key": ADMIN })).json()) as {
      data: { triggerIngestion: { started: boolean; message: string } };
    };
    assert.equal(admin.data.triggerIngestion.started, false);
    assert.match(admin.data.triggerIngestion.message, /INGEST_CREATORS/);
  });
});
