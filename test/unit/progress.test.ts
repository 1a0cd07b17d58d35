import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { it } from "node:test";
import { createProgress, phaseProgress } from "../../src/platform/progress.js";

/** Runs `fn` with process.stderr seen as a terminal or not, Date.now() at `clock.now`; what it wrote. */
function captureStderr(tty: boolean, fn: (clock: { now: number }) => void): string {
  const clock = { now: Date.now() };
  const realNow = Date.now;
  const realWrite = process.stderr.write;
  const realTTY = Object.getOwnPropertyDescriptor(process.stderr, "isTTY");
  const realColumns = Object.getOwnPropertyDescriptor(process.stderr, "columns");
  let out = "";
  Date.now = () => clock.now;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  }) as typeof process.stderr.write;
  Object.defineProperty(process.stderr, "isTTY", { value: tty, configurable: true });
  Object.defineProperty(process.stderr, "columns", { value: 120, configurable: true });
  try {
    fn(clock);
  } finally {
    Date.now = realNow;
    process.stderr.write = realWrite;
    if (realTTY) Object.defineProperty(process.stderr, "isTTY", realTTY);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
    if (realColumns) Object.defineProperty(process.stderr, "columns", realColumns);
    else delete (process.stderr as { columns?: number }).columns;
  }
  return out;
}

it("on a non-terminal prints a plain line per 10%, nothing in between, and no line on done()", () => {
  const out = captureStderr(false, (clock) => {
    const bar = createProgress("creators ");
    for (let i = 0; i <= 40; i++) {
      clock.now += 100;
      bar.update(i, 40, `videos ${i}`);
    }
    bar.done();
  });
  const lines = out.split("\n");
  assert.equal(lines.pop(), "", "every line ends in a newline");
  assert.ok(!out.includes("\r") && !out.includes("\x1b"), "no redraws, no escapes");
  assert.deepEqual(lines, [
    "creators  0% (0/40) videos 0 0s",
    "creators  10% (4/40) videos 4 1s",
    "creators  20% (8/40) videos 8 1s",
    "creators  30% (12/40) videos 12 1s",
    "creators  40% (16/40) videos 16 2s",
    "creators  50% (20/40) videos 20 2s",
    "creators  60% (24/40) videos 24 3s",
    "creators  70% (28/40) videos 28 3s",
    "creators  80% (32/40) videos 32 3s",
    "creators  90% (36/40) videos 36 4s",
    "creators  100% (40/40) videos 40 4s",
  ]);
});

it("on a non-terminal repeats a line after 15 s without a new decile, and treats total 0 as done", () => {
  const out = captureStderr(false, (clock) => {
    const bar = createProgress("interests");
    bar.update(1, 100, "a");
    clock.now += 10_000;
    bar.update(2, 100, "b"); // same decile, 10 s: quiet
    clock.now += 6_000;
    bar.update(3, 100, "c"); // 16 s since the last line
    createProgress("empty").update(0, 0, "");
  });
  assert.equal(out, "interests 1% (1/100) a 0s\ninterests 3% (3/100) c 16s\nempty 100% (0/0)  0s\n");
});

it("phaseProgress prefixes each phase and keeps a bar per phase", () => {
  const out = captureStderr(false, () => {
    const progress = phaseProgress("eval");
    progress("split", 0, 2);
    progress("ingest", 0, 1);
    progress("split", 2, 2);
    progress("ingest", 1, 1);
  });
  assert.equal(
    out,
    "eval: split 0% (0/2)  0s\neval: ingest 0% (0/1)  0s\neval: split 100% (2/2)  0s\neval: ingest 100% (1/1)  0s\n",
  );
});

it("on a terminal redraws one line with a 24-cell bar, and done() ends it with a newline", () => {
  const out = captureStderr(true, (clock) => {
    const bar = createProgress("creators ");
    bar.update(0, 4, "videos 0");
    clock.now += 1_000;
    bar.update(4, 4, "videos 9");
    bar.done();
  });
  assert.match(out, /creators {2}\[-{24}\] 0\/4 videos 0 0s/);
  assert.match(out, /creators {2}\[#{24}\] 4\/4 videos 9 1s/);
  assert.ok(out.endsWith("\n"));
  assert.equal(out.split("\n").length, 2, "one line, redrawn in place");
});

it("a terminal bar never done() does not keep the process alive", () => {
  const url = new URL("../../src/platform/progress.js", import.meta.url).href;
  const script = `Object.defineProperty(process.stderr, "isTTY", { value: true }); const { createProgress } = await import(${JSON.stringify(url)}); createProgress("stuck").update(1, 10, "");`;
  const out = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: 10_000,
  });
  assert.equal(out.status, 0, `exited ${out.status} (signal ${out.signal})`);
  assert.match(out.stderr, /stuck \[#{2}-{22}\] 1\/10/);
});
