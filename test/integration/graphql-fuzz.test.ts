import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startApp, type App } from "../../src/app/start-app.js";
import { hashKey } from "../../src/platform/config/api-keys.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { silentLogger } from "../../src/platform/logger.js";
import { fuzzCases } from "../helpers/fuzz-cases.js";

const PARTNER = "fuzz-partner-key";
const ADMIN = "fuzz-admin-key";
// Bounded for CI; FUZZ_CASES=5000 npm test runs a longer pass.
const CASES = Number(process.env.FUZZ_CASES ?? 340);

// Hostile input over real HTTP: every request gets a well-formed answer or a clean refusal, never
// a 5xx or a dead server, and no admin operation runs for a partner key.
describe("GraphQL endpoint under hostile input", () => {
  let app: App;
  let url: string;
  const root = mkdtempSync(join(tmpdir(), "tiktok-recs-fuzz-"));

  before(async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: "0",
      WEAVIATE_DATA_DIR: join(root, "weaviate"),
      API_KEYS: `p:partner:${hashKey(PARTNER)},a:admin:${hashKey(ADMIN)}`,
      RERANK_MODEL: "off",
      RANKER_MODEL: "off",
    };
    delete env.WEAVIATE_URL;
    app = await startApp(loadConfig(env), silentLogger);
    url = app.server.url;
  });
  after(async () => {
    await app?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it(`answers ${CASES} hostile requests with a 2xx or 4xx and a JSON body, and stays up`, async () => {
    const statuses = new Map<string, number>();
    const before = process.memoryUsage().rss;
    for (const c of fuzzCases(CASES)) {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": PARTNER, ...c.headers },
        body: c.body,
      });
      const text = await res.text();
      assert.ok(res.status < 500, `${c.kind}: HTTP ${res.status}: ${text.slice(0, 300)}`);
      let body: { data?: unknown; errors?: unknown[] };
      try {
        body = JSON.parse(text);
      } catch {
        assert.fail(`${c.kind}: HTTP ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
      }
      assert.ok(body.data !== undefined || Array.isArray(body.errors), `${c.kind}: neither data nor errors`);
      statuses.set(`${c.kind} ${res.status}`, (statuses.get(`${c.kind} ${res.status}`) ?? 0) + 1);
    }
    console.log(
      `# fuzz: ${CASES} cases; ${[...statuses].map(([k, n]) => `${k} x${n}`).join("; ")}; rss ${(before / 1e6).toFixed(0)} -> ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
    );
    assert.equal((await fetch(url.replace(/\/graphql$/, "/health/live"))).status, 200);
  });

  it("ran no admin operation for the partner key, whatever the document", async () => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": ADMIN },
      body: JSON.stringify({ query: "{ curation { value } cohorts { key } ingestRuns { trigger } }" }),
    });
    const { data } = (await res.json()) as {
      data: { curation: unknown[]; cohorts: unknown[]; ingestRuns: { trigger: string }[] };
    };
    assert.deepEqual(data.curation, []);
    assert.ok(
      data.ingestRuns.every((r) => !r.trigger.startsWith("admin:")),
      "an ingestion run was triggered",
    );
  });
});
