import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startApp } from "../../src/app/start-app.js";
import { hashKey } from "../../src/platform/config/api-keys.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { REPO_ROOT } from "../../src/platform/paths.js";
import { silentLogger } from "../../src/platform/logger.js";
import { isAlive, startServerProcess, waitUntilGone, type ServerProcess } from "../helpers/server-process.js";

const ADMIN = "admin-key-for-ops-tests";
const RECOMMENDATIONS = readFileSync(
  join(REPO_ROOT, "schema", "operations", "recommendations.graphql"),
  "utf8",
);

const logLines = (server: ServerProcess) =>
  server.logs.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

/** One Prometheus sample's value, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

// The service as `npm start` runs it (real weaviate-server child, real encoder, real HTTP), seen
// from outside the way an operator sees it: logs, /metrics, /health/ready, signals.
describe("operability: request ids, metrics, readiness (server process)", () => {
  let server: ServerProcess;
  let base: string;
  before(async () => {
    server = await startServerProcess({ API_KEYS: `ops:admin:${hashKey(ADMIN)}` });
    base = server.url.replace(/\/graphql$/, "");
  });
  after(async () => {
    if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
    await server?.exited;
  });

  const graphql = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": ADMIN, ...headers },
      body: JSON.stringify(body),
    });

  it("keeps a sane incoming x-request-id, returns it, and puts it on every line logged for the request", async () => {
    const res = await graphql(
      { query: "mutation { refreshCohorts { cohorts } }" },
      { "x-request-id": "ops-test-42" },
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-request-id"), "ops-test-42");
    await res.json();
    await new Promise((r) => setTimeout(r, 200)); // stderr lines arrive after the response
    const mine = logLines(server).filter((l) => l.requestId === "ops-test-42");
    const messages = mine.map((l) => l.msg);
    assert.ok(
      messages.includes("cohorts refreshed"),
      `a line logged inside the resolver carries the id: ${JSON.stringify(mine)}`,
    );
    assert.ok(messages.includes("request"), "the access line carries the id");
    const access = mine.find((l) => l.msg === "request")!;
    assert.equal(access.status, 200);
    assert.equal(access.path, "/graphql");
    assert.equal(typeof access.ms, "number");
    assert.ok(
      logLines(server).every(
        (l) => typeof l.time === "string" && typeof l.level === "string" && typeof l.msg === "string",
      ),
    );
  });

  it("replaces a missing or insane x-request-id with a fresh one, different per request", async () => {
    const ids = new Set<string>();
    for (const header of [undefined, "has spaces in it", "x".repeat(500), "semi;colon"]) {
      const res = await fetch(`${base}/health/live`, {
        headers: header === undefined ? {} : { "x-request-id": header },
      });
      const id = res.headers.get("x-request-id") ?? "";
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      ids.add(id);
    }
    assert.equal(ids.size, 4);
  });

  it("serves latency histograms per operation (bounded labels) and per stage, candidate counts and ingestion runs", async () => {
    const named = await graphql({
      query: RECOMMENDATIONS,
      operationName: "Recommendations",
      variables: { userId: "demo-user-skater-pt", first: 5 },
    });
    const page = (await named.json()) as {
      data: { recommendations: { __typename: string; recalled: number } };
    };
    assert.equal(page.data.recommendations.__typename, "RecommendationPage");
    await (await graphql({ query: "query AttackerChosenName1 { status { version } }" })).json();
    await (await graphql({ query: "{ status { version } }" })).json();
    await (await graphql({ query: "{ status { nope } }" })).json();

    const text = await (await fetch(`${base}/metrics`)).text();
    assert.equal(
      sample(text, 'graphql_request_duration_seconds_count{operation="Recommendations",outcome="ok"}'),
      1,
    );
    assert.equal(sample(text, 'graphql_request_duration_seconds_count{operation="other",outcome="ok"}'), 1);
    assert.ok(
      sample(text, 'graphql_request_duration_seconds_count{operation="anonymous",outcome="ok"}')! >= 1,
    );
    assert.equal(
      sample(text, 'graphql_request_duration_seconds_count{operation="anonymous",outcome="error"}'),
      1,
    );
    assert.ok(!text.includes("AttackerChosenName1"), "a client-chosen name never becomes a label");
    // Buckets are cumulative and end in +Inf = count.
    assert.equal(
      sample(
        text,
        'graphql_request_duration_seconds_bucket{operation="Recommendations",outcome="ok",le="+Inf"}',
      ),
      1,
    );
    for (const stage of ["recall", "rank", "rules"])
      assert.equal(sample(text, `recommend_stage_duration_seconds_count{stage="${stage}"}`), 1, stage);
    assert.ok(sample(text, 'recommend_stage_duration_seconds_sum{stage="recall"}')! > 0);
    assert.equal(
      sample(text, 'recommend_candidates_sum{stage="recall"}'),
      page.data.recommendations.recalled,
    );
    assert.equal(
      sample(text, 'ingest_runs_total{outcome="succeeded"}'),
      1,
      "the demo catalogue seeded at startup",
    );
    assert.ok(sample(text, 'weaviate_calls_total{collection="Video",call="query.nearVector"}')! >= 1);
    assert.match(text, /# TYPE graphql_request_duration_seconds histogram/);
  });

  it("is ready or degraded (200) with every check listed, degraded naming what is off", async () => {
    const res = await fetch(`${base}/health/ready`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as {
      status: string;
      reason?: string;
      checks: Record<string, { ok: boolean; detail?: string }>;
    };
    assert.deepEqual(Object.keys(body.checks).sort(), [
      "encoder",
      "events",
      "ranker",
      "reranker",
      "weaviate",
    ]);
    assert.equal(body.checks.weaviate!.ok, true);
    assert.equal(body.checks.encoder!.ok, true);
    assert.deepEqual({ ...body.checks.events }, { ok: true, detail: "embedded" }, "the embedded event store");
    const off = !body.checks.reranker!.ok || !body.checks.ranker!.ok;
    assert.equal(body.status, off ? "degraded" : "ready");
    if (off) assert.match(body.reason ?? "", /reranker: off|ranker: fixed blend/);
  });

  it("fails readiness with 503 and a reason, and counts Weaviate errors, when Weaviate is gone", async () => {
    process.kill(server.weaviatePid, "SIGKILL");
    assert.ok(await waitUntilGone(server.weaviatePid, 5_000));
    const res = await fetch(`${base}/health/ready`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as {
      status: string;
      reason: string;
      checks: Record<string, { ok: boolean }>;
    };
    assert.equal(body.status, "not ready");
    assert.equal(body.checks.weaviate!.ok, false);
    assert.match(body.reason, /weaviate: Weaviate at http:\/\/127\.0\.0\.1:\d+ does not answer/);
    assert.equal((await fetch(`${base}/health/live`)).status, 200, "alive, just not ready");
    const failed = await graphql({
      query: RECOMMENDATIONS,
      operationName: "Recommendations",
      variables: { userId: "demo-user-skater-pt" },
    });
    const { errors } = (await failed.json()) as { errors?: unknown[] };
    assert.ok(errors && errors.length > 0);
    const text = await (await fetch(`${base}/metrics`)).text();
    const errorsTotal = text
      .split("\n")
      .filter((l) => l.startsWith("weaviate_errors_total{"))
      .reduce((n, l) => n + Number(l.split(" ").pop()), 0);
    assert.ok(errorsTotal >= 1, text);
  });
});

describe("graceful shutdown (server process)", () => {
  it("on SIGTERM stops accepting, finishes a request already in flight with 200, then stops Weaviate and exits 0", async () => {
    const server = await startServerProcess();
    const { port } = new URL(server.url);
    const body = JSON.stringify({ query: "{ status { version weaviate { version } } }" });
    const half = Math.floor(body.length / 2);
    // A request whose body is still arriving when the signal comes: in flight by any definition.
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/graphql",
          method: "POST",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, half));
      setTimeout(() => {
        server.child.kill("SIGTERM");
        setTimeout(async () => {
          // The listener is closed by now: a new client is refused while the old one is served.
          const refused = await fetch(`http://127.0.0.1:${port}/health/live`).then(
            () => false,
            () => true,
          );
          req.end(body.slice(half));
          if (!refused) reject(new Error("a new connection was accepted after SIGTERM"));
        }, 1_500);
      }, 300);
    });
    const { status, text } = await response;
    assert.equal(status, 200, text);
    assert.equal(
      (JSON.parse(text) as { data: { status: { weaviate: { version: string } } } }).data.status.weaviate
        .version,
      "1.39.0",
    );
    assert.equal(await server.exited, 0, server.logs.join("\n"));
    assert.ok(server.logs.some((l) => l.includes("stopped cleanly")));
    assert.ok(await waitUntilGone(server.weaviatePid, 5_000), "weaviate still running after a clean stop");
    assert.ok(!isAlive(server.child.pid!));
  });
});

describe("readiness when the encoder is gone (in process)", () => {
  it("answers 503 naming the encoder once its worker has stopped", async () => {
    const root = mkdtempSync(join(tmpdir(), "tiktok-recs-ops-"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: "0",
      WEAVIATE_DATA_DIR: join(root, "weaviate"),
      DEMO_CATALOGUE: "off",
    };
    delete env.WEAVIATE_URL;
    const app = await startApp(loadConfig(env), silentLogger);
    try {
      const ready = `${app.server.url.replace(/\/graphql$/, "")}/health/ready`;
      assert.equal((await fetch(ready)).status, 200);
      await app.encoder.dispose(); // what a crashed onnxruntime worker looks like from here
      const res = await fetch(ready);
      assert.equal(res.status, 503);
      const body = (await res.json()) as {
        status: string;
        reason: string;
        checks: Record<string, { ok: boolean }>;
      };
      assert.equal(body.status, "not ready");
      assert.equal(body.checks.encoder!.ok, false);
      assert.equal(body.checks.weaviate!.ok, true);
      assert.match(
        body.reason,
        /encoder: encoder \S*all-MiniLM-L6-v2@onnx-\w+ failed: onnxruntime worker .* exited/,
      );
    } finally {
      await app.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
