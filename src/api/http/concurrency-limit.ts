export interface ConcurrencyLimitOptions {
  /** The limit starts here and never leaves [min, max]. */
  initial: number;
  min: number;
  max: number;
  /** The service time the limit aims for: the 90th percentile of a window above it shrinks the limit. */
  targetMs: number;
  /** How long a request may wait for a slot before it is shed; 0 sheds at once. */
  queueMs: number;
  /** Completions per adjustment window (and at most one adjustment per `targetMs`). */
  windowSize?: number;
}

/** Frees the slot; the time since admission (the service time) is fed to the limit. */
export type Release = () => void;

/**
 * An adaptive concurrency limit, AIMD on latency (TCP's congestion window, with latency for loss):
 * after every window of completions that filled the limit, a 90th percentile service time over
 * `targetMs` cuts the limit by a fifth, and one under target raises it by one. Past the
 * limit, a request waits in a FIFO queue for at most `queueMs` and is shed when none frees in time,
 * so the excess of an overload is refused within `queueMs` instead of queueing for seconds, and
 * those admitted see about the latency of a service running at its capacity.
 */
export class ConcurrencyLimit {
  private current: number;
  private inFlight = 0;
  private readonly waiting: { admit: () => void; timer: NodeJS.Timeout }[] = [];
  private window: number[] = [];
  private full = false;
  private lastChange = 0;
  private readonly windowSize: number;

  constructor(private readonly opts: ConcurrencyLimitOptions) {
    this.current = clamp(opts.initial, opts.min, opts.max);
    this.windowSize = opts.windowSize ?? 20;
  }

  get limit(): number {
    return Math.floor(this.current);
  }

  get active(): number {
    return this.inFlight;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** A slot (its release), or undefined when none frees within `queueMs`: shed the request. */
  async acquire(): Promise<Release | undefined> {
    if (this.inFlight < this.limit && this.waiting.length === 0) return this.admit();
    if (this.opts.queueMs <= 0) return undefined;
    return new Promise<Release | undefined>((resolve) => {
      const entry = {
        admit: () => resolve(this.admit()),
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          resolve(undefined);
        }, this.opts.queueMs),
      };
      this.waiting.push(entry);
    });
  }

  private admit(): Release {
    this.inFlight++;
    if (this.inFlight >= this.limit) this.full = true;
    const started = performance.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
      this.observe(performance.now() - started);
      this.drain();
    };
  }

  private drain() {
    while (this.waiting.length > 0 && this.inFlight < this.limit) {
      const next = this.waiting.shift()!;
      clearTimeout(next.timer);
      next.admit();
    }
  }

  private observe(ms: number) {
    this.window.push(ms);
    if (this.window.length < this.windowSize) return;
    const sorted = this.window.sort((a, b) => a - b);
    const p90 = sorted[Math.ceil(sorted.length * 0.9) - 1]!;
    const now = performance.now();
    if (p90 > this.opts.targetMs) {
      // Only a limit that was reached can be to blame (a slow request below it is slow anyway);
      // one cut per target interval: the requests still in flight started under the old limit.
      if (this.full && now - this.lastChange >= this.opts.targetMs) {
        this.current = clamp(this.current * 0.8, this.opts.min, this.opts.max);
        this.lastChange = now;
      }
    } else if (this.full) {
      this.current = clamp(this.current + 1, this.opts.min, this.opts.max);
      this.lastChange = now;
    }
    this.window = [];
    this.full = false;
  }
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
