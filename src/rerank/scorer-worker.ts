import { parentPort, workerData } from "node:worker_threads";
import { openPairScorer, type Pair, type ScorerOptions } from "./pair-scorer.js";

/**
 * The cross-encoder's session in a worker thread: onnxruntime-node's run() holds the thread it
 * is called on for the whole inference, so on the main thread one batch would stall every
 * request the server is handling.
 */
const port = parentPort!;
try {
  const scorer = await openPairScorer(workerData as ScorerOptions);
  port.on("message", async (msg: { id: number; pairs: Pair[] } | { id: number; close: true }) => {
    if ("close" in msg) {
      await scorer.dispose();
      port.postMessage({ id: msg.id, closed: true });
      return;
    }
    try {
      const scores = await scorer.score(msg.pairs);
      port.postMessage({ id: msg.id, scores }, [scores.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ id: msg.id, error: (err as Error).message });
    }
  });
  port.postMessage({ ready: true, provider: scorer.provider });
} catch (err) {
  port.postMessage({ ready: false, error: (err as Error).message });
}
