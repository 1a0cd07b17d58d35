import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The entry points of the build this file runs from (dist/src/cli/ beside dist/src/main.js, or a
 * dist-* folder of one's own), so the stack starts the code it was compiled with.
 */
export const MAIN_JS = fileURLToPath(new URL("../main.js", import.meta.url));
export const INGEST_JS = fileURLToPath(new URL("./ingest.js", import.meta.url));

export interface StackProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Runs `node <script> ...args` with its stdout and stderr appended to `<logDir>/<name>.log`. */
export function runLogged(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logDir: string,
): StackProcess {
  const logFile = join(logDir, `${name}.log`);
  const out = createWriteStream(logFile, { flags: "a" });
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(out, { end: false });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      out.end();
      resolve(code);
    }),
  );
  const stop = async (graceMs = 20_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return void (await exited);
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, logFile, exited, stop };
}

/** Resolves with the URL of the service's "graphql server listening" log line (JSON on stderr). */
export function listening(p: StackProcess, timeoutMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let partial = "";
    const tail: string[] = [];
    const timer = setTimeout(
      () => reject(new Error(`${p.name} did not listen within ${timeoutMs / 1000} s; see ${p.logFile}`)),
      timeoutMs,
    );
    p.child.stderr!.on("data", (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop()!;
      for (const line of lines) {
        tail.push(line);
        tail.splice(0, Math.max(0, tail.length - 8));
        const url = listeningUrl(line);
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      }
    });
    void p.exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `${p.name} exited (${code ?? "signal"}) during start; see ${p.logFile}:\n  ${tail.join("\n  ")}`,
        ),
      );
    });
  });
}

function listeningUrl(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return entry.msg === "graphql server listening" && typeof entry.url === "string" ? entry.url : undefined;
  } catch {
    return undefined; // not a log line: keep waiting
  }
}
