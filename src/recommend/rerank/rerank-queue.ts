import type { CrossEncoder, Pair } from "./cross-encoder.js";

export interface RerankQueueOptions {
  /** Most pairs in one model run; requests that arrive together share runs. */
  maxBatchPairs?: number;
  now?: () => number;
}

export interface RerankQueueStats {
  runs: number;
  pairs: number;
  /** Pairs dropped because their request's deadline passed while they waited. */
  expiredPairs: number;
  /** Current estimate of the cost of one padded token, in milliseconds. */
  msPerToken: number;
}

interface Job {
  pairs: Pair[];
  scores: number[];
  deadline: number;
  resolve(scores: number[]): void;
  reject(err: unknown): void;
}

/**
 * One queue in front of the cross-encoder, shared by every request. Pairs run FIFO in batches
 * that mix requests, one model run at a time. The queue measures what a padded token costs
 * (moving average over its runs) and uses it to tell a request how many pairs it can afford
 * within its budget, counting the work already queued ahead of it. A job whose deadline passes
 * while it waits gets the scores it has so far: always a prefix of its pairs.
 */
export function createRerankQueue(encoder: CrossEncoder, opts: RerankQueueOptions = {}) {
  const maxBatch = opts.maxBatchPairs ?? 16;
  const now = opts.now ?? (() => performance.now());
  const queue: Job[] = [];
  const stats: RerankQueueStats = { runs: 0, pairs: 0, expiredPairs: 0, msPerToken: 0.05 };
  let queuedTokens = 0;
  let running = false;

  async function pump(): Promise<void> {
    if (running) return;
    running = true;
    try {
      // Let requests that arrive in the same turn of the event loop join the first batch.
      await new Promise((resolve) => setImmediate(resolve));
      while (queue.length > 0) {
        const batch = takeBatch();
        if (batch.length === 0) continue;
        const pairs = batch.flatMap((b) => b.pairs);
        const started = now();
        try {
          const scores = await encoder.score(pairs);
          observe(now() - started, pairs);
          let k = 0;
          for (const b of batch) for (let i = 0; i < b.pairs.length; i++) b.job.scores.push(scores[k++]!);
        } catch (err) {
          for (const b of batch) failJob(b.job, err);
        }
        settleFinished();
      }
    } finally {
      running = false;
    }
  }

  /** Up to maxBatch pairs from the head of the queue; expired jobs are settled, not run. */
  function takeBatch(): { job: Job; pairs: Pair[] }[] {
    const out: { job: Job; pairs: Pair[] }[] = [];
    let room = maxBatch;
    for (const job of queue) {
      if (room === 0) break;
      const pending = job.pairs.length - job.scores.length;
      if (pending <= 0) continue;
      if (now() > job.deadline) {
        stats.expiredPairs += pending;
        queuedTokens -= tokensOf(job.pairs.slice(job.scores.length));
        job.pairs = job.pairs.slice(0, job.scores.length);
        continue;
      }
      const start = job.scores.length;
      const pairs = job.pairs.slice(start, start + Math.min(pending, room));
      out.push({ job, pairs });
      room -= pairs.length;
    }
    settleFinished();
    return out;
  }

  function observe(elapsedMs: number, pairs: Pair[]): void {
    const padded = pairs.length * Math.max(...pairs.map((p) => p.ids.length));
    stats.runs += 1;
    stats.pairs += pairs.length;
    queuedTokens -= tokensOf(pairs);
    stats.msPerToken = 0.8 * stats.msPerToken + 0.2 * (elapsedMs / padded);
  }

  function settleFinished(): void {
    for (let i = queue.length - 1; i >= 0; i--) {
      const job = queue[i]!;
      if (job.scores.length >= job.pairs.length) {
        queue.splice(i, 1);
        job.resolve(job.scores);
      }
    }
  }

  function failJob(job: Job, err: unknown): void {
    const i = queue.indexOf(job);
    if (i < 0) return;
    queue.splice(i, 1);
    queuedTokens -= tokensOf(job.pairs.slice(job.scores.length));
    job.reject(err);
  }

  return {
    encoder,
    stats: (): RerankQueueStats => ({ ...stats }),
    /** How many pairs of `tokensPerPair` tokens fit in `budgetMs`, behind the work already queued. */
    affordable(budgetMs: number, tokensPerPair: number): number {
      const wait = queuedTokens * stats.msPerToken;
      return Math.max(0, Math.floor((budgetMs - wait) / (stats.msPerToken * tokensPerPair)));
    },
    /** Scores the pairs in order; resolves by the deadline with a prefix of them (maybe empty). */
    score(pairs: Pair[], budgetMs: number): Promise<number[]> {
      if (pairs.length === 0) return Promise.resolve([]);
      return new Promise<number[]>((resolve, reject) => {
        queue.push({ pairs, scores: [], deadline: now() + budgetMs, resolve, reject });
        queuedTokens += tokensOf(pairs);
        void pump();
      });
    },
    /** Times a full-width batch (after one to allocate) so the cost estimate starts from this machine's figure. */
    async warmUp(tokensPerPair: number): Promise<void> {
      const pairs: Pair[] = new Array(maxBatch).fill(
        encoder.pair(new Array(tokensPerPair).fill(1996), new Array(tokensPerPair).fill(1996)),
      );
      await encoder.score(pairs);
      const started = now();
      await encoder.score(pairs);
      stats.msPerToken = (now() - started) / tokensOf(pairs);
    },
  };
}

export type RerankQueue = ReturnType<typeof createRerankQueue>;

const tokensOf = (pairs: readonly Pair[]) => pairs.reduce((n, p) => n + p.ids.length, 0);
