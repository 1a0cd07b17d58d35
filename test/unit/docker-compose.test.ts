import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { loadConfig } from "../../src/platform/config/config.js";
import { REPO_ROOT } from "../../src/platform/paths.js";
import { WEAVIATE_VERSION } from "../../src/store/server/weaviate-version.js";

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
}

// No Docker engine runs here, so the compose file is checked for structure and pinned versions.
describe("docker-compose.yml", () => {
  const compose = parse(readFileSync(join(REPO_ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as {
    services: Record<string, Service>;
  };
  const nodes = Object.entries(compose.services).filter(([name]) => name.startsWith("weaviate-"));

  it("runs a 3-node Weaviate cluster on the pinned version", () => {
    assert.equal(nodes.length, 3);
    for (const [name, svc] of nodes) {
      assert.equal(svc.image, `cr.weaviate.io/semitechnologies/weaviate:${WEAVIATE_VERSION}`, name);
    }
  });

  it("forms one Raft cluster with replication factor 3 and our modules", () => {
    const names = nodes.map(([name]) => name).sort();
    for (const [name, svc] of nodes) {
      const env = svc.environment!;
      assert.equal(env.CLUSTER_HOSTNAME, name);
      assert.deepEqual(env.RAFT_JOIN!.split(",").sort(), names);
      assert.equal(env.RAFT_BOOTSTRAP_EXPECT, "3");
      assert.equal(env.REPLICATION_MINIMUM_FACTOR, "3");
      assert.ok(env.ENABLE_MODULES!.split(",").includes("ref2vec-centroid"));
      assert.equal(env.AUTOSCHEMA_ENABLED, "false");
      assert.equal(env.AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED, "false", "only loopback may be anonymous");
      if (name !== "weaviate-0") assert.equal(env.CLUSTER_JOIN, `weaviate-0:${env.CLUSTER_GOSSIP_BIND_PORT}`);
    }
  });

  it("points the API at the cluster with an API key", () => {
    const api = compose.services.api!;
    assert.ok(api.build, "the API is built from the repo's Dockerfile");
    const host = new URL(api.environment!.WEAVIATE_URL!).hostname;
    assert.ok(nodes.some(([name]) => name === host));
    assert.ok(api.environment!.WEAVIATE_API_KEY);
  });

  it("gives the API a shared PostgreSQL event store the config accepts", () => {
    const env = compose.services.api!.environment!;
    const url = env.EVENTS_DATABASE_URL!.replace("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}", "pw");
    assert.equal(new URL(url).hostname, "postgres");
    assert.match(compose.services.postgres!.image!, /^postgres:\d+$/);
    assert.equal(loadConfig({ EVENTS_DATABASE_URL: url }).events.url, url);
  });

  it("replicates every class to all three nodes and names valid consistency levels", () => {
    const env = compose.services.api!.environment!;
    assert.equal(env.WEAVIATE_REPLICATION_FACTOR, String(nodes.length));
    for (const [, svc] of nodes)
      assert.ok(
        Number(env.WEAVIATE_REPLICATION_FACTOR) >= Number(svc.environment!.REPLICATION_MINIMUM_FACTOR),
      );
    const { replication } = loadConfig({
      WEAVIATE_URL: "http://weaviate-0:8080",
      WEAVIATE_REPLICATION_FACTOR: env.WEAVIATE_REPLICATION_FACTOR,
      WEAVIATE_READ_CONSISTENCY: env.WEAVIATE_READ_CONSISTENCY,
      WEAVIATE_WRITE_CONSISTENCY: env.WEAVIATE_WRITE_CONSISTENCY,
    }).weaviate;
    assert.deepEqual(replication, { factor: 3, read: "ONE", write: "QUORUM" });
  });

  it("builds the API on the Node major package.json asks for", () => {
    const dockerfile = readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8");
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
      engines: { node: string };
    };
    const major = /node:(\d+)/.exec(dockerfile)?.[1];
    assert.equal(major, /(\d+)/.exec(pkg.engines.node)?.[1]);
  });
});
