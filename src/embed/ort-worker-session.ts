import { Worker } from "node:worker_threads";
import type { PortMeta } from "./encoder-contract.js";
import type { ProviderChoice } from "./execution-provider.js";

export interface Feed {
  type: "int64" | "float32";
  data: BigInt64Array | Float32Array;
  dims: number[];
}

export interface WorkerSession {
  readonly provider: "cuda" | "cpu";
  /** Why that provider: CUDA's node placement, or why CUDA does not serve (execution-provider.ts). */
  readonly providerReason: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly PortMeta[];
  readonly outputMetadata: readonly PortMeta[];
  /** One inference; the feeds' buffers are handed to the worker and must not be reused. */
  run(
    feeds: Record<string, Feed>,
    outputs: string[],
  ): Promise<Record<string, { data: Float32Array; dims: number[] }>>;
  release(): Promise<void>;
}

/**
 * An onnxruntime-node session in its own worker thread. onnxruntime-node's `run()` holds the
 * thread it is called on for the whole inference (a 16-pair cross-encoder run let the event loop
 * tick once in 219 ms), so on the main thread every model call would stall every HTTP request.
 * A worker that dies fails what it held and every later call, loudly, rather than hanging.
 */
export async function openWorkerSession(
  modelPath: string,
  provider: ProviderChoice,
  threads: number,
): Promise<WorkerSession> {
  const worker = new Worker(new URL("./ort-session-worker.js", import.meta.url), {
    workerData: { modelPath, provider, threads },
  });
  type Ready = {
    ready: boolean;
    provider?: "cuda" | "cpu";
    providerReason?: string;
    inputNames?: string[];
    outputNames?: string[];
    inputMetadata?: PortMeta[];
    outputMetadata?: PortMeta[];
    error?: string;
  };
  const ready = await new Promise<Ready>((resolve, reject) => {
    worker.once("message", (msg: Ready) => (msg.ready ? resolve(msg) : reject(new Error(msg.error))));
    worker.once("error", reject);
  }).catch(async (err: Error) => {
    await worker.terminate();
    throw err;
  });
  const waiting = new Map<
    number,
    { resolve(v: Record<string, { data: Float32Array; dims: number[] }>): void; reject(e: Error): void }
  >();
  // The worker keeps the process alive only while a call is in flight: an idle session (or one a
  // failing program forgot to release) never stops a CLI from exiting.
  worker.unref();
  const settled = () => waiting.size === 0 && worker.unref();
  let nextId = 0;
  let failed: Error | undefined;
  worker.on(
    "message",
    (msg: {
      id: number;
      results?: Record<string, { data: Float32Array; dims: number[] }>;
      error?: string;
    }) => {
      const w = waiting.get(msg.id);
      if (!w) return;
      waiting.delete(msg.id);
      settled();
      if (msg.error) w.reject(new Error(msg.error));
      else w.resolve(msg.results!);
    },
  );
  const fail = (err: Error) => {
    failed ??= err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    settled();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`onnxruntime worker for ${modelPath} exited (code ${code})`)));
  return {
    provider: ready.provider!,
    providerReason: ready.providerReason!,
    inputNames: ready.inputNames!,
    outputNames: ready.outputNames!,
    inputMetadata: ready.inputMetadata!,
    outputMetadata: ready.outputMetadata!,
    run(feeds, outputs) {
      if (failed) return Promise.reject(failed);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage(
          { id, feeds, outputs },
          Object.values(feeds).map((f) => f.data.buffer as ArrayBuffer),
        );
      });
    },
    async release() {
      if (!failed) await worker.terminate();
    },
  };
}
