import ort from "onnxruntime-node";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ErrorCode, ServiceError } from "../platform/errors.js";
import { cudaProblem, defaultBindingDir, PROVIDER_LIBS, PROVISION_CUDA } from "./cuda-diagnosis.js";
import {
  describePlacement,
  ProbeFeedError,
  probeOptions,
  probePlacement,
  type Placement,
} from "./provider-probe.js";

export type ProviderChoice = "auto" | "cpu" | "cuda";

/** ONNX_PROVIDER=cuda where CUDA does not serve: the message says why and what fixes it. */
export class ExecutionProviderError extends ServiceError {
  constructor(message: string) {
    super(ErrorCode.ExecutionProviderUnavailable, message);
  }
}

/**
 * onnxruntime-node from npm ships CPU only; `npm run provision -- --cuda` puts onnxruntime-gpu's
 * libraries beside its binding (src/embed/provision-cuda.ts). Without them asking for CUDA fails.
 */
export function cudaProviderInstalled(bindingDir = defaultBindingDir()): boolean {
  return PROVIDER_LIBS.every((f) => existsSync(join(bindingDir, f)));
}

export interface OpenedSession {
  session: ort.InferenceSession;
  /** The provider that really runs the nodes (checked from a profiled run when CUDA was asked for). */
  provider: "cuda" | "cpu";
  /** Why this provider: the node placement on CUDA, or why CUDA does not serve. */
  reason: string;
  placement?: Placement;
}

/**
 * An onnxruntime session on CUDA when it really serves, else on the CPU. "auto" falls back and
 * says why in `reason`; "cuda" refuses with ExecutionProviderError naming the cause and the fix.
 * onnxruntime-node reports a provider that fails to load only as "Failed to load shared library",
 * and a loaded one may still leave every node on the CPU, so both cases are looked into here.
 */
export async function openOrtSession(
  path: string,
  choice: ProviderChoice,
  threads: number,
  bindingDir = defaultBindingDir(),
): Promise<OpenedSession> {
  const options: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: "all",
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
  };
  const onCpu = async (reason: string): Promise<OpenedSession> => ({
    session: await ort.InferenceSession.create(path, { ...options, executionProviders: ["cpu"] }),
    provider: "cpu",
    reason,
  });
  if (choice === "cpu") return onCpu("ONNX_PROVIDER=cpu");
  const why = cudaProviderInstalled(bindingDir) ? await tryCuda() : cudaProblem(bindingDir);
  if (typeof why !== "string") return why;
  if (choice === "cuda")
    throw new ExecutionProviderError(
      `ONNX_PROVIDER=cuda, but CUDA cannot serve ${path}: ${why}. ONNX_PROVIDER=auto would fall back to the CPU.`,
    );
  return onCpu(`CUDA unavailable: ${why}`);

  async function tryCuda(): Promise<OpenedSession | string> {
    const dir = mkdtempSync(join(tmpdir(), "ort-probe-"));
    try {
      let session: ort.InferenceSession;
      try {
        session = await ort.InferenceSession.create(path, {
          ...options,
          ...probeOptions(dir),
          executionProviders: ["cuda"],
        });
      } catch (err) {
        return cudaProblem(bindingDir, (err as Error).message);
      }
      let placement: Placement;
      try {
        placement = await probePlacement(session, dir);
      } catch (err) {
        // A model the probe cannot feed: CUDA opened, its placement is unknown, and status says so.
        if (err instanceof ProbeFeedError)
          return { session, provider: "cuda", reason: `placement not verified: ${err.message}` };
        // The probe run failed on CUDA (no device, out of memory...): serving would fail the same way.
        await session.release();
        return cudaProblem(bindingDir, (err as Error).message);
      }
      if ((placement.nodes.CUDAExecutionProvider ?? 0) > 0)
        return { session, provider: "cuda", reason: describePlacement(placement), placement };
      await session.release();
      return `the CUDA provider loaded but ran no node of the model (${describePlacement(placement)}); \`${PROVISION_CUDA}\` installs a matching onnxruntime-gpu`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
