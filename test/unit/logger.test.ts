import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { it } from "node:test";

const LOGGER = new URL("../../src/platform/logger.js", import.meta.url).href;

/** Runs `body` in a fresh node with `createLogger` and `withLogFields` in scope; its stdout and stderr. */
function run(body: string): {
  stdout: string;
  stderr: string;
  raw: string[];
  lines: Record<string, unknown>[];
} {
  const script = `import { createLogger, withLogFields, silentLogger } from ${JSON.stringify(LOGGER)};\n${body}`;
  const out = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  const raw = out.stderr.split("\n").filter(Boolean);
  return {
    stdout: out.stdout,
    stderr: out.stderr,
    raw,
    lines: raw.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

it("writes one JSON line per event on stderr: level (a name), time (ISO), the fields and msg", () => {
  const { stdout, stderr, lines } = run(`
    const log = createLogger("info");
    log.info("encoder ready", { modelId: "minilm", dims: 384 });
    log.warn("slow");
    log.error("request failed", { error: "boom" });
  `);
  assert.equal(stdout, "", "stdout stays for command output");
  assert.ok(stderr.endsWith("\n"));
  assert.equal(lines.length, 3);
  for (const l of lines) {
    assert.equal(typeof l.time, "string");
    assert.equal(new Date(l.time as string).toISOString(), l.time, "ISO 8601 time");
    assert.equal(typeof l.level, "string");
    assert.equal(typeof l.msg, "string");
    assert.ok(!("pid" in l) && !("hostname" in l), "no fields beyond the caller's");
  }
  assert.deepEqual(Object.keys(lines[0]!).sort(), ["dims", "level", "modelId", "msg", "time"]);
  assert.deepEqual(
    { ...lines[0], time: undefined },
    { time: undefined, level: "info", msg: "encoder ready", modelId: "minilm", dims: 384 },
  );
  assert.deepEqual(
    lines.map((l) => l.level),
    ["info", "warn", "error"],
  );
  assert.equal(lines[2]!.error, "boom");
});

it("filters by level", () => {
  const { lines } = run(`
    const warn = createLogger("warn");
    warn.debug("d"); warn.info("i"); warn.warn("w"); warn.error("e");
    const debug = createLogger("debug");
    debug.debug("d2");
    createLogger().debug("hidden at the default, info");
    silentLogger.error("never");
  `);
  assert.deepEqual(
    lines.map((l) => [l.level, l.msg]),
    [
      ["warn", "w"],
      ["error", "e"],
      ["debug", "d2"],
    ],
  );
});

it("puts withLogFields' fields on every line inside it, across awaits, under child loggers' and the call's", () => {
  const { raw, lines } = run(`
    const log = createLogger("info", { service: "api" });
    const child = log.child({ component: "ingest", service: "api-child" });
    await withLogFields({ requestId: "req-1" }, async () => {
      log.info("start");
      await new Promise((r) => setTimeout(r, 5));
      await withLogFields({ phase: "rank" }, async () => child.info("deep"));
      child.info("override", { requestId: "mine" });
    });
    log.info("outside");
  `);
  const [start, deep, override, outside] = lines;
  assert.equal(start!.requestId, "req-1");
  assert.equal(start!.service, "api");
  assert.deepEqual(
    [deep!.requestId, deep!.phase, deep!.component, deep!.service],
    ["req-1", "rank", "ingest", "api-child"],
  );
  assert.equal(override!.requestId, "mine", "the call's fields win");
  assert.ok(!("requestId" in outside!), "nothing leaks out of the scope");
  // A child's field that overrides its parent's appears once on the line.
  assert.equal(raw[1]!.split('"service"').length, 2, raw[1]);
});

it("loses nothing when the process exits right after logging", () => {
  const { lines } = run(`
    const log = createLogger("info");
    for (let i = 0; i < 2000; i++) log.info("line", { i });
    process.exit(3 - 3);
  `);
  assert.equal(lines.length, 2000);
  assert.equal(lines.at(-1)!.i, 1999);
});
