/**
 * Run as a child process from a scratch folder whose node_modules holds a copy of
 * onnxruntime-node (cuda-provision.test.ts): imports the compiled embed code copied beside it,
 * so "onnxruntime-node" resolves to that copy and never to the repo's. Prints one JSON line.
 *
 * argv: <embed dir (file URL)> <model path>
 */
const [embedDir, modelPath] = process.argv.slice(2) as [string, string];
const { openOrtSession } = (await import(
  new URL("execution-provider.js", embedDir).href
)) as typeof import("../../src/embed/execution-provider.js");
const { openWorkerSession } = (await import(
  new URL("ort-worker-session.js", embedDir).href
)) as typeof import("../../src/embed/ort-worker-session.js");
const ort = (await import("onnxruntime-node")).default;

const ids = [101n, 7592n, 2088n, 2003n, 2307n, 102n, 0n, 0n];
const feeds = () => ({
  input_ids: new ort.Tensor("int64", BigInt64Array.from(ids), [1, 8]),
  attention_mask: new ort.Tensor("int64", BigInt64Array.from(ids.map((i) => (i ? 1n : 0n))), [1, 8]),
  token_type_ids: new ort.Tensor("int64", new BigInt64Array(8), [1, 8]),
});

const cpu = await openOrtSession(modelPath, "cpu", 1);
const out = await cpu.session.run(feeds());
const hidden = Array.from(out[cpu.session.outputNames[0]!]!.data as Float32Array);

const auto = await openOrtSession(modelPath, "auto", 1);
const autoOut = await auto.session.run(feeds());
const autoHidden = Array.from(autoOut[auto.session.outputNames[0]!]!.data as Float32Array);

let cudaRefusal: { code?: string; message: string } | undefined;
try {
  await openOrtSession(modelPath, "cuda", 1);
} catch (err) {
  cudaRefusal = { code: (err as { code?: string }).code, message: (err as Error).message };
}

// The path the encoder and the cross-encoder take: the session in a worker thread.
const worker = await openWorkerSession(modelPath, "auto", 1);
let workerCudaError: string | undefined;
await openWorkerSession(modelPath, "cuda", 1).then(
  (s) => s.release(),
  (err: Error) => (workerCudaError = err.message),
);
await worker.release();

console.log(
  JSON.stringify({
    binding: (await import("node:module")).createRequire(import.meta.url).resolve("onnxruntime-node"),
    hidden,
    auto: { provider: auto.provider, reason: auto.reason, hidden: autoHidden },
    cudaRefusal,
    worker: { provider: worker.provider, reason: worker.providerReason },
    workerCudaError,
  }),
);
