import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { WeaviateHandle } from "../../src/store/weaviate-handle.js";

/**
 * The server of the same build as this bench (dist/src/main.js beside dist/bench/), so a bench
 * compiled to another folder runs the code it was compiled with.
 */
const MAIN = fileURLToPath(new URL("../../src/main.js", import.meta.url));

export interface ApiServerProcess {
  url: string;
  pid: number;
  /** The server's log lines (JSON), the last 200. */
  logs(): string[];
  stop(): Promise<void>;
}

/**
 * The real API (`node dist/src/main.js` of this build) as a child process on a free port, pointed at an open
 * embedded Weaviate, or owning its own embedded one on `{ dataDir }` (as `npm start` does: what
 * encoder generations need), for benches: the result cache is off so every request runs the
 * pipeline, no demo catalogue is seeded and cohorts are not refreshed on a schedule. `env` adds or
 * overrides settings (RERANK_MODEL, API_KEYS, ...).
 */
export async function startApiServer(
  store: WeaviateHandle | { dataDir: string },
  env: Record<string, string>,
  /** How long to wait for the listening line; seeding the demo catalogue on a busy box takes a while. */
  startTimeoutMs = 120_000,
): Promise<ApiServerProcess> {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    LOG_LEVEL: "info",
    ...weaviateEnv(store),
    RECOMMEND_CACHE_SECONDS: "0",
    DEMO_CATALOGUE: "off",
    API_KEYS: "",
    COHORT_REFRESH_SCHEDULE: "off",
    ...env,
  };
  delete childEnv.WEAVIATE_API_KEY;
  if ("dataDir" in store) for (const name of ["WEAVIATE_URL", "WEAVIATE_GRPC_URL"]) delete childEnv[name];
  const child = spawn(process.execPath, [MAIN], {
    env: childEnv,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines: string[] = [];
  let partial = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `the API server did not start in ${startTimeoutMs / 1000} s:\n${lines.slice(-20).join("\n")}`,
          ),
        ),
      startTimeoutMs,
    );
    child.stderr!.on("data", (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split("\n");
      partial = parts.pop()!;
      for (const line of parts.filter(Boolean)) {
        lines.push(line);
        if (lines.length > 200) lines.shift();
        const url = listeningUrl(line);
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the API server exited during start:\n${lines.slice(-20).join("\n")}`));
    });
  }).catch(async (err: unknown) => {
    child.kill("SIGKILL");
    await exited;
    throw err;
  });
  return {
    url,
    pid: child.pid!,
    logs: () => [...lines],
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Where the child finds its Weaviate: the open one's addresses, or the data folder it starts one on. */
function weaviateEnv(store: WeaviateHandle | { dataDir: string }): Record<string, string> {
  if ("dataDir" in store) return { WEAVIATE_DATA_DIR: store.dataDir };
  const { host, grpcPort } = store.embedded!;
  return { WEAVIATE_URL: store.restUrl, WEAVIATE_GRPC_URL: `http://${host}:${grpcPort}` };
}

/** The URL from the server's "graphql server listening" log line; undefined for any other line. */
function listeningUrl(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return entry.msg === "graphql server listening" && typeof entry.url === "string" ? entry.url : undefined;
  } catch {
    return undefined; // not a log line (a stray print): keep waiting
  }
}
