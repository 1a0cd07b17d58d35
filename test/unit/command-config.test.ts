import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { ConfigError } from "../../src/platform/config/config.js";
import { configOrFail } from "../../src/platform/config/config-or-fail.js";
import { ErrorCode, ServiceError } from "../../src/platform/errors.js";
import { fileURLToPath } from "node:url";

const run = promisify(execFile);
/** The build this test runs from (dist/ under npm test): the commands beside it are the ones checked. */
const dist = fileURLToPath(new URL("../..", import.meta.url));

/** Every entry point that reads the config, with arguments that get it past its own usage check. */
const COMMANDS: [string, string[]][] = [
  ["src/main.js", []],
  ["src/cli/provision.js", []],
  ["src/cli/ingest.js", ["--dump", "/nonexistent"]],
  ["src/cli/backup.js", ["list"]],
  ["src/cli/cluster.js", []],
  ["src/cli/eval.js", []],
  ["src/cli/train-ranker.js", []],
  ["src/cli/train-cross-encoder.js", []],
  ["bench/embed.js", []],
  ["bench/graphql.js", []],
  ["bench/ingest.js", []],
  ["bench/load.js", []],
  ["bench/recall.js", []],
  ["bench/rerank.js", []],
];

describe("configOrFail", () => {
  it("returns the config and a command logger from warn at the default level", () => {
    const { config } = configOrFail("test", { env: { HOME: "/home/u" } });
    assert.equal(config.http.port, 4000);
  });

  it("hands every problem to the command's fail, which ends it", () => {
    const fail = (message: string): never => {
      throw new Error(`failed: ${message}`);
    };
    assert.throws(
      () => configOrFail("test", { env: { PORT: "http", LOG_LEVEL: "loud" }, fail }),
      /failed: Invalid configuration:\n.*PORT[\s\S]*LOG_LEVEL/,
    );
  });

  it("ConfigError is a ServiceError with its code", () => {
    const err = new ConfigError(["PORT: bad"]);
    assert.ok(err instanceof ServiceError);
    assert.equal(err.code, ErrorCode.ConfigInvalid);
    assert.equal(err.name, "ConfigError");
  });

  it("every command ends on a bad environment with the problem, a usage exit code and no stack trace", async () => {
    const env = { ...process.env, LOG_LEVEL: "loud", WEAVIATE_URL: "", PORT: "x" };
    const results = await Promise.allSettled(
      COMMANDS.map(async ([script, args]) => {
        const outcome = await run(process.execPath, [join(dist, script), ...args], {
          env,
          timeout: 60_000,
        }).then(
          () => ({ code: 0, stderr: "" }),
          (err: { code?: number; stderr?: string }) => ({ code: err.code, stderr: err.stderr ?? "" }),
        );
        // 1 from the shared helper; 2 where a command ends bad config like a usage error.
        assert.ok(outcome.code === 1 || outcome.code === 2, `${script} exited ${outcome.code}`);
        assert.match(outcome.stderr, /Invalid configuration:[\s\S]*LOG_LEVEL/, `${script} names the problem`);
        assert.doesNotMatch(
          outcome.stderr,
          /^\s+at /m,
          `${script} printed a stack trace:\n${outcome.stderr}`,
        );
      }),
    );
    const failed = results.flatMap((r) =>
      r.status === "rejected" ? [String((r.reason as Error).message)] : [],
    );
    assert.deepEqual(failed, []);
  });
});
