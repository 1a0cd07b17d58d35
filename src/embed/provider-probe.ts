import ort from "onnxruntime-node";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

/** How one run placed the graph's nodes, from onnxruntime's own profile. */
export interface Placement {
  /** Distinct nodes per execution provider, e.g. { CUDAExecutionProvider: 310, CPUExecutionProvider: 4 }. */
  nodes: Record<string, number>;
  /** Op types that ran on the CPU provider (what CUDA could not take), sorted. */
  cpuOps: string[];
}

/** A model whose inputs the probe cannot fill: its placement stays unknown (not a CUDA failure). */
export class ProbeFeedError extends Error {}

/** The session options that make `probePlacement` possible: profiling on, its file in `dir`. */
export const probeOptions = (dir: string) => ({
  enableProfiling: true,
  profileFilePrefix: join(dir, "probe"),
});

/**
 * Which provider really runs each node. Opening a session with ["cuda"] succeeds as soon as the
 * provider library loads, and onnxruntime then assigns every node CUDA cannot run to the CPU
 * provider without a word; the profile of one run names the provider of every kernel it ran.
 * The session must have been opened with `probeOptions(dir)`; profiling stops after this run.
 */
export async function probePlacement(session: ort.InferenceSession, dir: string): Promise<Placement> {
  const feeds = dummyFeeds(session);
  try {
    await session.run(feeds);
  } finally {
    session.endProfiling(); // writes the file and stops profiling for the serving runs
  }
  const file = readdirSync(dir).find((f) => f.startsWith("probe") && f.endsWith(".json"));
  if (!file) throw new Error(`onnxruntime wrote no profile in ${dir}`);
  const events = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
    cat?: string;
    name?: string;
    args?: { provider?: string; op_name?: string };
  }[];
  rmSync(dir, { recursive: true, force: true });
  const byNode = new Map<string, { provider: string; op: string }>();
  for (const e of events)
    if (e.cat === "Node" && e.name && e.args?.provider)
      byNode.set(e.name.replace(/_(kernel_time|fence_before|fence_after)$/, ""), {
        provider: e.args.provider,
        op: e.args.op_name ?? "?",
      });
  const nodes: Record<string, number> = {};
  const cpuOps = new Set<string>();
  for (const { provider, op } of byNode.values()) {
    nodes[provider] = (nodes[provider] ?? 0) + 1;
    if (provider === "CPUExecutionProvider") cpuOps.add(op);
  }
  return { nodes, cpuOps: [...cpuOps].sort() };
}

/** One row of eight tokens for every input: ones (valid ids, mask and segment for our BERT models). */
function dummyFeeds(session: ort.InferenceSession): Record<string, ort.Tensor> {
  return Object.fromEntries(
    session.inputMetadata.map((m) => {
      if (!m.isTensor) throw new ProbeFeedError(`input ${m.name} is not a tensor: cannot probe placement`);
      const dims = m.shape.map((d, i) => (typeof d === "number" && d > 0 ? d : i === 0 ? 1 : 8));
      const size = dims.reduce((a, b) => a * b, 1);
      if (m.type === "int64")
        return [m.name, new ort.Tensor("int64", new BigInt64Array(size).fill(1n), dims)];
      if (m.type === "int32") return [m.name, new ort.Tensor("int32", new Int32Array(size).fill(1), dims)];
      if (m.type === "float32") return [m.name, new ort.Tensor("float32", new Float32Array(size), dims)];
      throw new ProbeFeedError(`input ${m.name} is ${m.type}: cannot probe placement`);
    }),
  );
}

/** "312 of 316 nodes on CUDAExecutionProvider; on CPU: Shape, Gather" */
export function describePlacement(p: Placement): string {
  const total = Object.values(p.nodes).reduce((a, b) => a + b, 0);
  const cuda = p.nodes.CUDAExecutionProvider ?? 0;
  const cpu = p.cpuOps.length > 0 ? `; on CPU: ${p.cpuOps.join(", ")}` : "";
  return `${cuda} of ${total} nodes on CUDAExecutionProvider${cpu}`;
}
