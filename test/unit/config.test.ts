import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../src/platform/config/config.js";
import { REPO_ROOT } from "../../src/platform/paths.js";

describe("config", () => {
  it("has working defaults: embedded Weaviate, the best provisioned encoder, port 4000 on loopback", () => {
    const config = loadConfig({ HOME: "/home/u" });
    assert.equal(config.http.port, 4000);
    assert.equal(config.http.host, "127.0.0.1");
    assert.equal(config.weaviate.url, undefined);
    assert.equal(config.weaviate.dataDir, `${REPO_ROOT}/.data/weaviate`);
    assert.equal(config.weaviate.cacheDir, "/home/u/.cache/tiktok-recs");
    assert.equal(config.models.variant, "auto");
  });

  it("reports every problem at once", () => {
    assert.throws(
      () =>
        loadConfig({ PORT: "http", WEAVIATE_URL: "not a url", EMBED_MODEL: "fp16", ONNX_PROVIDER: "tpu" }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(err.problems.map((p) => p.split(":")[0]).sort(), [
          "EMBED_MODEL",
          "ONNX_PROVIDER",
          "PORT",
          "WEAVIATE_URL",
        ]);
        return true;
      },
    );
  });

  it("refuses an API key without a server to send it to", () => {
    assert.throws(() => loadConfig({ WEAVIATE_API_KEY: "secret" }), /WEAVIATE_API_KEY/);
  });

  it("takes an external Weaviate with its key", () => {
    const config = loadConfig({ WEAVIATE_URL: "https://weaviate.example.com", WEAVIATE_API_KEY: "k" });
    assert.equal(config.weaviate.url, "https://weaviate.example.com");
    assert.equal(config.weaviate.apiKey, "k");
  });

  it("replicates and reads at the configured levels, one replica and QUORUM by default", () => {
    assert.deepEqual(loadConfig({}).weaviate.replication, { factor: 1, read: "QUORUM", write: "QUORUM" });
    const cluster = loadConfig({
      WEAVIATE_URL: "http://127.0.0.1:8080",
      WEAVIATE_REPLICATION_FACTOR: "3",
      WEAVIATE_READ_CONSISTENCY: "ONE",
      WEAVIATE_WRITE_CONSISTENCY: "ALL",
    });
    assert.deepEqual(cluster.weaviate.replication, { factor: 3, read: "ONE", write: "ALL" });
    assert.throws(
      () => loadConfig({ WEAVIATE_READ_CONSISTENCY: "one", WEAVIATE_REPLICATION_FACTOR: "0" }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(err.problems.map((p) => p.split(":")[0]).sort(), [
          "WEAVIATE_READ_CONSISTENCY",
          "WEAVIATE_REPLICATION_FACTOR",
        ]);
        return true;
      },
    );
    assert.throws(() => loadConfig({ WEAVIATE_REPLICATION_FACTOR: "3" }), /need a cluster/);
  });
});

describe("config: roles and Weaviate nodes", () => {
  const cluster = {
    WEAVIATE_URL: "http://n0:8080, http://n1:8080,http://n2:8080",
    WEAVIATE_GRPC_URL: "grpc://n0:50051,grpc://n1:50051,grpc://n2:50051",
  };

  it("takes every node's addresses in order, the first as the one used first", () => {
    const { weaviate, role } = loadConfig(cluster);
    assert.equal(role, "all");
    assert.equal(weaviate.url, "http://n0:8080");
    assert.deepEqual(
      weaviate.nodes.map((n) => [n.url, n.grpcUrl]),
      [0, 1, 2].map((i) => [`http://n${i}:8080`, `grpc://n${i}:50051`]),
    );
    assert.deepEqual(weaviate.failover, { windowMs: 10_000, backoffMs: 250 });
  });

  it("refuses gRPC addresses that do not pair with the nodes, and a bad URL in the list", () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    assert.match(problems({ ...cluster, WEAVIATE_GRPC_URL: "grpc://n0:50051" }).join(), /one per node/);
    assert.match(problems({ WEAVIATE_URL: "http://n0:8080,nope" }).join(), /WEAVIATE_URL/);
  });

  it("runs replicas and workers only on a shared Weaviate and event store", () => {
    assert.throws(
      () => loadConfig({ ROLE: "api" }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(
          err.problems.map((p) => p.split(":")[0]),
          ["ROLE=api", "ROLE=api"],
        );
        assert.match(err.problems.join("\n"), /WEAVIATE_URL[\s\S]*EVENTS_DATABASE_URL/);
        return true;
      },
    );
    const worker = loadConfig({ ...cluster, ROLE: "worker", EVENTS_DATABASE_URL: "postgres://db/events" });
    assert.equal(worker.role, "worker");
    assert.throws(() => loadConfig({ ROLE: "replica" }), /ROLE/);
  });
});
