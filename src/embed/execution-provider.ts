import ort from "onnxruntime-node";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export type ProviderChoice = "auto" | "cpu" | "cuda";

/**
 * onnxruntime-node ships CPU only; its CUDA provider library is fetched at install time when
 * ONNXRUNTIME_NODE_INSTALL=cuda12. Asking for CUDA without that library fails, so we look first.
 */
export function cudaProviderInstalled(): boolean {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve("onnxruntime-node/package.json"));
  const binDir = join(root, "bin", "napi-v6", process.platform, process.arch);
  return existsSync(join(binDir, "libonnxruntime_providers_cuda.so"));
}

/** The providers to try, best first; "cuda" demanded without the library is a configuration error. */
export function providerPlan(choice: ProviderChoice): ("cuda" | "cpu")[] {
  if (choice === "cpu") return ["cpu"];
  if (choice === "cuda" && !cudaProviderInstalled()) {
    throw new Error(
      "ONNX_PROVIDER=cuda but onnxruntime-node has no CUDA provider: reinstall with ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci",
    );
  }
  return cudaProviderInstalled() ? ["cuda", "cpu"] : ["cpu"];
}

/** An onnxruntime session on the best provider that opens; says which one it got. */
export async function openOrtSession(path: string, choice: ProviderChoice, threads: number) {
  const plan = providerPlan(choice);
  const options: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
  };
  for (const provider of plan) {
    try {
      return {
        session: await ort.InferenceSession.create(path, { ...options, executionProviders: [provider] }),
        provider,
      };
    } catch (err) {
      if (provider === plan.at(-1)) throw err;
    }
  }
  throw new Error("unreachable: no execution provider");
}
