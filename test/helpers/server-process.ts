import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface ServerProcess {
  child: ChildProcess;
  dataDir: string;
  /** The weaviate-server pid, from the "embedded weaviate ready" log line. */
  weaviatePid: number;
  /** Its REST and gRPC addresses, from the same line, for tests that look inside the store. */
  weaviateUrl: string;
  weaviateGrpcPort: number;
  url: string;
  exited: Promise<number | null>;
  logs: string[];
}

/** Runs `node dist/src/main.js` as `npm start` does, on a free port with a throwaway store (or the given one, or `env`'s WEAVIATE_URL). */
export async function startServerProcess(
  env: Record<string, string> = {},
  opts: { dataDir?: string } = {},
): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? join(mkdtempSync(join(tmpdir(), "tiktok-recs-main-")), "weaviate");
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: "0", WEAVIATE_DATA_DIR: dataDir };
  delete childEnv.WEAVIATE_URL; // embedded unless the caller names a Weaviate
  Object.assign(childEnv, env);
  // The entry point of the build this helper runs from (dist/, or a dist-* folder of one's own).
  const child = spawn(process.execPath, [fileURLToPath(new URL("../../src/main.js", import.meta.url))], {
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let weaviatePid = 0;
  let weaviateUrl = "";
  let weaviateGrpcPort = 0;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL"); // a server that never came up must not outlive the test
      reject(new Error(`server did not start in 90 s:\n${logs.join("\n")}`));
    }, 90_000);
    child.stderr!.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        logs.push(line);
        const entry = parse(line);
        if (entry?.msg === "embedded weaviate ready") {
          weaviatePid = Number(entry.pid);
          weaviateUrl = String(entry.httpUrl);
          weaviateGrpcPort = Number(entry.grpcPort);
        }
        if (entry?.msg === "graphql server listening") {
          clearTimeout(timer);
          resolve(String(entry.url));
        }
      }
    });
    exited.then((code) => {
      clearTimeout(timer); // else a start that failed keeps the test process alive for 90 s
      reject(new Error(`server exited with ${code} during start:\n${logs.join("\n")}`));
    });
  });
  return { child, dataDir, weaviatePid, weaviateUrl, weaviateGrpcPort, url, exited, logs };
}

function parse(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return !isAlive(pid);
}
