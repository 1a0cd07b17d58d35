import type { WeaviateClient } from "weaviate-client";
import type { Logger } from "../../platform/logger.js";
import { neverSent, nodeFailed } from "./connection-errors.js";

export interface PoolNode {
  url: string;
  /** Connects (once) to this node; a node down at start is connected when first needed. */
  connect(): Promise<WeaviateClient>;
  close(): Promise<void>;
}

export interface FailoverPolicy {
  /** How long a call keeps trying other nodes before it fails. */
  windowMs: number;
  /** The pause after every node failed once, before the next round. */
  backoffMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * weaviate-client retries a gRPC call to a dead node by itself for ~20 s (five attempts with
 * backoff, not configurable), so a call still running after this long has its node probed.
 */
const PROBE_AFTER_MS = 400;
const PROBE_EVERY_MS = 1_000;

/** Thrown when a node's liveness probe was refused while a call to it was still running. */
class NodeUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    super(`connect ECONNREFUSED: ${url} does not answer its liveness probe`, { cause });
  }
}

/** Whether the node refuses connections; a slow or odd answer is not proof of death. */
async function refusesConnections(url: string): Promise<unknown> {
  try {
    await (
      await fetch(`${url}/v1/.well-known/live`, { signal: AbortSignal.timeout(PROBE_EVERY_MS) })
    ).arrayBuffer();
    return undefined;
  } catch (err) {
    return neverSent(err) ? err : undefined;
  }
}

/**
 * Every Weaviate node the service may talk to, and the one it talks to now. A call runs on the
 * current node; when that node does not answer, the call moves to the next node and stays there
 * (every node holds every replica at our replication factors, and reads run at ONE). A call that
 * may not repeat (a reference add) moves only when the node refused the connection, so it never
 * ran; otherwise its error is the caller's. A dead pooled socket gets one retry on the same node.
 */
export class NodePool {
  private failovers = 0;

  constructor(
    readonly nodes: PoolNode[],
    private readonly policy: FailoverPolicy,
    private readonly log: Logger,
    private current = 0,
  ) {}

  get url(): string {
    return this.nodes[this.current]!.url;
  }
  /** Times calls moved to another node since start (weaviate_failovers_total). */
  get moves(): number {
    return this.failovers;
  }

  async run<T>(idempotent: boolean, call: (client: WeaviateClient, url: string) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.policy.windowMs;
    let retriedSocket = false;
    let triedThisRound = 0;
    for (;;) {
      const at = this.current;
      const node = this.nodes[at]!;
      try {
        const running = call(await node.connect(), node.url);
        return this.nodes.length > 1 && idempotent ? await this.unlessDead(running, node.url) : await running;
      } catch (err) {
        if (!nodeFailed(err)) throw err;
        if (idempotent && !retriedSocket && !neverSent(err)) {
          retriedSocket = true; // a keep-alive socket the node closed while we were idle
          continue;
        }
        if (!idempotent && !neverSent(err)) throw err;
        if (this.nodes.length === 1 || Date.now() >= deadline) throw err;
        this.moveFrom(at, err);
        if (++triedThisRound >= this.nodes.length) {
          triedThisRound = 0;
          await sleep(Math.min(this.policy.backoffMs, Math.max(0, deadline - Date.now())));
        }
      }
    }
  }

  /**
   * The call's result, unless its node stops accepting connections first: then the call is left
   * to finish on its own (its answer unused) and the caller moves on. Only for repeatable calls.
   */
  private async unlessDead<T>(running: Promise<T>, url: string): Promise<T> {
    let settled = false;
    const done = running.finally(() => (settled = true));
    done.catch(() => {}); // a call abandoned below must not become an unhandled rejection
    await Promise.race([done, sleep(PROBE_AFTER_MS)]);
    while (!settled) {
      const refused = await refusesConnections(url);
      if (refused && !settled) throw new NodeUnreachableError(url, refused);
      await Promise.race([done, sleep(PROBE_EVERY_MS)]);
    }
    return done;
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.close()));
  }

  private moveFrom(at: number, err: unknown): void {
    if (this.current !== at) return; // a concurrent call moved already
    this.current = (at + 1) % this.nodes.length;
    this.failovers++;
    this.log.warn("weaviate node did not answer; using the next one", {
      from: this.nodes[at]!.url,
      to: this.nodes[this.current]!.url,
      error: (err as Error).message?.slice(0, 200),
    });
  }
}
