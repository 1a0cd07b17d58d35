/** A budget: `rate` points refilled per second, holding at most `burst`. */
export interface Budget {
  rate: number;
  burst: number;
}

export type Take = { ok: true } | { ok: false; retryAfterS: number };

/**
 * A token bucket counted in points (a query's cost, see graphql/query-cost.ts). It starts full. A
 * query is admitted while the bucket holds its cost, or the whole burst for a query costing more
 * than the burst (else such a query could never run); the cost is then taken in full, so the bucket
 * may go below zero and the debt refills like any other spend. Time comes in as an argument, so
 * tests need no clock.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly budget: Budget,
    now: number,
  ) {
    this.tokens = budget.burst;
    this.at = now;
  }

  /** Takes `cost` points at `now` (ms), or says in how many whole seconds it could. */
  take(cost: number, now: number): Take {
    this.refill(now);
    const needed = Math.min(cost, this.budget.burst);
    if (this.tokens >= needed) {
      this.tokens -= cost;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((needed - this.tokens) / this.budget.rate)) };
  }

  /** Gives back points taken for a request that was then not run (shed). */
  refund(cost: number, now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.budget.burst, this.tokens + cost);
  }

  /** Points available at `now`. */
  level(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  private refill(now: number) {
    const elapsedS = Math.max(0, now - this.at) / 1000;
    this.tokens = Math.min(this.budget.burst, this.tokens + elapsedS * this.budget.rate);
    this.at = now;
  }
}

/**
 * One bucket per key name, made on first use. Key names come from API_KEYS (a bounded set), so the
 * map stays small; the key itself is never seen here.
 */
export class KeyBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly budgetOf: (role: string) => Budget | undefined) {}

  /** Admits `cost` points for `key` of `role`; always ok for a role without a budget. */
  take(key: string, role: string, cost: number, now = performance.now()): Take {
    const budget = this.budgetOf(role);
    if (!budget) return { ok: true };
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.budget.rate !== budget.rate || bucket.budget.burst !== budget.burst) {
      bucket = new TokenBucket(budget, now);
      this.buckets.set(key, bucket);
    }
    return bucket.take(cost, now);
  }

  /** Whether `key`'s bucket lacks `cost` points (min the burst) now, and for how long; undefined: it has them, or no bucket. */
  shortOf(
    key: string,
    cost: number,
    now = performance.now(),
  ): { retryAfterS: number; budget: Budget } | undefined {
    const bucket = this.buckets.get(key);
    if (!bucket) return undefined;
    const needed = Math.min(cost, bucket.budget.burst);
    const level = bucket.level(now);
    if (level >= needed) return undefined;
    return {
      retryAfterS: Math.max(1, Math.ceil((needed - level) / bucket.budget.rate)),
      budget: bucket.budget,
    };
  }

  refund(key: string, cost: number, now = performance.now()): void {
    this.buckets.get(key)?.refund(cost, now);
  }
}
