import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { arch, platform, tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../../platform/logger.js";
import { WEAVIATE_VERSION } from "./weaviate-version.js";

export interface BinaryOptions {
  /** An explicit binary (WEAVIATE_BIN); wins over everything else. */
  explicit?: string;
  cacheDir: string;
  version?: string;
  log: Logger;
  /** The Go command; tests point it elsewhere to simulate a machine without Go. */
  go?: string;
  /** Where release archives live; GitHub by default. */
  releaseBaseUrl?: string;
}

export interface ResolvedBinary {
  path: string;
  version: string;
  source: "WEAVIATE_BIN" | "cache" | "go install" | "release archive";
}

export function cachedBinaryPath(cacheDir: string, version = WEAVIATE_VERSION): string {
  return join(cacheDir, "weaviate", `v${version}`, "weaviate-server");
}

/**
 * Finds or provisions a weaviate-server binary, in this order: WEAVIATE_BIN, the cached build,
 * `go install` (when Go is present), the official release archive (when online). Building
 * happens once per version; the result is cached outside the repo and reused by every clone.
 */
export async function resolveWeaviateBinary(opts: BinaryOptions): Promise<ResolvedBinary> {
  const version = opts.version ?? WEAVIATE_VERSION;
  if (opts.explicit) {
    if (!existsSync(opts.explicit)) throw new Error(`WEAVIATE_BIN=${opts.explicit} does not exist`);
    return { path: opts.explicit, version, source: "WEAVIATE_BIN" };
  }
  const target = cachedBinaryPath(opts.cacheDir, version);
  if (existsSync(target)) return { path: target, version, source: "cache" };

  const failures: string[] = [];
  const go = opts.go ?? "go";
  if (hasGo(go)) {
    try {
      await goInstall(go, version, target, opts.log);
      return { path: target, version, source: "go install" };
    } catch (err) {
      failures.push(`go install: ${(err as Error).message}`);
    }
  } else {
    failures.push("go install: no `go` on PATH");
  }
  try {
    await downloadRelease(
      opts.releaseBaseUrl ?? "https://github.com/weaviate/weaviate/releases/download",
      version,
      target,
      opts.log,
    );
    return { path: target, version, source: "release archive" };
  } catch (err) {
    failures.push(`release archive: ${(err as Error).message}`);
  }
  throw new Error(
    [
      `No weaviate-server v${version} binary could be found or provisioned.`,
      ...failures.map((f) => `  tried ${f}`),
      "Fix it with one of:",
      "  - set WEAVIATE_BIN to an existing weaviate-server binary",
      `  - put one at ${target}`,
      `  - install Go (1.24+) with access to the Go module proxy, then rerun (it builds v${version} once, ~10-12 min)`,
      "  - allow access to github.com for the official release archive",
      "  - or set WEAVIATE_URL to use a Weaviate server you already run",
    ].join("\n"),
  );
}

function hasGo(go: string): boolean {
  return spawnSync(go, ["version"], { stdio: "ignore" }).status === 0;
}

/** Builds into a temporary GOBIN and renames into place, so an interrupted build leaves no half file. */
async function goInstall(go: string, version: string, target: string, log: Logger): Promise<void> {
  const staging = join(tmpdir(), `weaviate-build-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  const pkg = `github.com/weaviate/weaviate/cmd/weaviate-server@v${version}`;
  log.info("building weaviate-server with go install (once per version, ~10-12 min on 2 cores)", { pkg });
  const started = Date.now();
  let packages = 0;
  const heartbeat = setInterval(() => {
    const elapsedSeconds = Math.round((Date.now() - started) / 1000);
    log.info("still building weaviate-server", { elapsedSeconds, packagesCompiled: packages });
  }, 30_000);
  try {
    // -v prints one line per package compiled: the heartbeat reports the count as progress.
    await run(
      go,
      ["install", "-trimpath", "-v", pkg],
      { ...process.env, GOBIN: staging, CGO_ENABLED: "0" },
      (line) => {
        packages += 1;
        log.debug("go", { line });
      },
    );
    mkdirSync(join(target, ".."), { recursive: true });
    renameSync(join(staging, "weaviate-server"), target);
    log.info("weaviate-server built", { path: target, seconds: Math.round((Date.now() - started) / 1000) });
  } finally {
    clearInterval(heartbeat);
    rmSync(staging, { recursive: true, force: true });
  }
}

async function downloadRelease(base: string, version: string, target: string, log: Logger): Promise<void> {
  const goArch = arch() === "x64" ? "amd64" : arch();
  const url = `${base}/v${version}/weaviate-v${version}-${platform()}-${goArch}.tgz`;
  log.info("downloading the weaviate release archive", { url });
  const res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  const staging = join(tmpdir(), `weaviate-dl-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  try {
    const archive = join(staging, "weaviate.tgz");
    writeFileSync(archive, Buffer.from(await res.arrayBuffer()));
    await run("tar", ["-xzf", archive, "-C", staging], process.env);
    mkdirSync(join(target, ".."), { recursive: true });
    chmodSync(join(staging, "weaviate"), 0o755);
    renameSync(join(staging, "weaviate"), target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  onLine?: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const tail: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        onLine?.(line);
      }
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}:\n${tail.join("\n")}`)),
    );
  });
}
