import cliProgress from "cli-progress";

/**
 * A one-line progress bar on stderr (cli-progress); on a non-terminal (CI, logs) it prints a line
 * per 10%, and at least every 15 s so a long step never looks hung.
 */
export function createProgress(label: string) {
  const tty = process.stderr.isTTY;
  let lastDecile = -1;
  let lastLine = Date.now();
  const started = Date.now();
  const bar = tty ? new Bar() : undefined;
  return {
    update(done: number, total: number, detail: string) {
      const ratio = total === 0 ? 1 : done / total;
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      if (bar) {
        const payload = { label, detail, seconds };
        if (!bar.isActive) bar.start(total, done, payload);
        else {
          if (bar.getTotal() !== total) bar.setTotal(total);
          bar.update(done, payload);
        }
      } else if (Math.floor(ratio * 10) > lastDecile || Date.now() - lastLine > 15_000) {
        lastDecile = Math.floor(ratio * 10);
        lastLine = Date.now();
        process.stderr.write(
          `${label} ${Math.round(ratio * 100)}% (${done}/${total}) ${detail} ${seconds}s\n`,
        );
      }
    },
    done() {
      bar?.stop();
    },
  };
}

/**
 * cli-progress' single bar as this module draws it: 24 cells of # and -, done/total, the detail
 * and the seconds since the bar was made; the cursor stays visible, line wrapping is left alone
 * (a line wider than the terminal is cut), and its redraw timer never keeps the process alive (a
 * step that fails need not call done()).
 */
class Bar extends cliProgress.SingleBar {
  constructor() {
    super({
      stream: process.stderr,
      format: "{label} [{bar}] {value}/{total} {detail} {seconds}s",
      barsize: 24,
      barCompleteChar: "#",
      barIncompleteChar: "-",
      hideCursor: false,
      linewrap: true,
      gracefulExit: false,
      clearOnComplete: false,
    });
  }

  override render(): void {
    super.render();
    (this as unknown as { timer?: NodeJS.Timeout | null }).timer?.unref();
  }
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
