import ort from "onnxruntime-node";
import { parentPort, workerData } from "node:worker_threads";
import { openOrtSession, type ProviderChoice } from "./execution-provider.js";

/**
 * An onnxruntime session in a worker thread (see ort-worker-session.ts for why). Tensors arrive
 * and leave as plain typed arrays with their dims; their buffers are transferred, not copied.
 */
type Feed = { type: "int64" | "float32"; data: BigInt64Array | Float32Array; dims: number[] };

const port = parentPort!;
const portMeta = (m: ort.InferenceSession.ValueMetadata) => ({
  name: m.name,
  type: m.isTensor ? m.type : "non-tensor",
  shape: m.isTensor ? [...m.shape] : [],
});
const { modelPath, provider, threads } = workerData as {
  modelPath: string;
  provider: ProviderChoice;
  threads: number;
};
try {
  const opened = await openOrtSession(modelPath, provider, threads);
  const { session } = opened;
  port.on("message", async (msg: { id: number; feeds: Record<string, Feed>; outputs: string[] }) => {
    try {
      const feeds = Object.fromEntries(
        Object.entries(msg.feeds).map(([name, f]) => [name, new ort.Tensor(f.type, f.data, f.dims)]),
      );
      const out = await session.run(feeds, msg.outputs);
      const results = Object.fromEntries(
        msg.outputs.map((name) => [
          name,
          { data: Float32Array.from(out[name]!.data as Float32Array), dims: [...out[name]!.dims] },
        ]),
      );
      port.postMessage(
        { id: msg.id, results },
        Object.values(results).map((r) => r.data.buffer as ArrayBuffer),
      );
    } catch (err) {
      port.postMessage({ id: msg.id, error: (err as Error).message });
    }
  });
  port.postMessage({
    ready: true,
    provider: opened.provider,
    providerReason: opened.reason,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    // Shapes and types, so the encoder can check a model's contract before it serves.
    inputMetadata: session.inputMetadata.map(portMeta),
    outputMetadata: session.outputMetadata.map(portMeta),
  });
} catch (err) {
  port.postMessage({ ready: false, error: (err as Error).message });
}
