/**
 * A one-line progress bar on stderr; on a non-terminal (CI, logs) it prints a line per 10%, and at
 * least every 15 s so a long step never looks hung.
 */
export function createProgress(label: string) {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  let lastLine = Date.now();
  const started = Date.now();
  return {
    update(done: number, total: number, detail: string) {
      const ratio = total === 0 ? 1 : done / total;
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      if (tty) {
        const width = 24;
        const filled = Math.round(ratio * width);
        process.stderr.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${detail} ${seconds}s\x1b[K`);
      } else if (Math.floor(ratio * 10) > lastDecile || Date.now() - lastLine > 15_000) {
        lastDecile = Math.floor(ratio * 10);
        lastLine = Date.now();
        process.stderr.write(`${label} ${Math.round(ratio * 100)}% (${done}/${total}) ${detail} ${seconds}s\n`);
      }
    },
    done() {
      if (tty) process.stderr.write("\n");
    },
  };
}

/** One progress bar per phase name, made on first use, each line prefixed with `prefix`. */
export function phaseProgress(prefix: string) {
  const bars = new Map<string, ReturnType<typeof createProgress>>();
  return (phase: string, done: number, total: number) => {
    if (!bars.has(phase)) bars.set(phase, createProgress(`${prefix}: ${phase}`));
    bars.get(phase)!.update(done, total, "");
    if (done === total) bars.get(phase)!.done();
  };
}
