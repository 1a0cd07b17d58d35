#!/usr/bin/env python3
"""Fine-tune all-MiniLM-L6-v2 as a bi-encoder on the (query, positive, hard negative) triplets
that `npm run train:encoder` writes, with sentence-transformers.

The model is the serving encoder's: BERT, mean pooling over real tokens, L2 norm
(src/embed/encoder.ts). Loss: MultipleNegativesRankingLoss (in-batch softmax over cosine x 20):
each query must pick its own positive out of every positive and mined hard negative in the batch.
Texts are cut at --max-tokens while training (64: short and fast on a CPU); the probe embeddings
for the export's parity check are taken at the serving encoder's 256.

Writes to --out: config.json, model.safetensors (BertModel), the tokenizer and training-report.json
(this run's figures, and exact float32 sentence embeddings of a few texts for the parity check),
the input of `tools/export_fp32_onnx.py --model-dir`. Prints one JSON object on its last line.

Usage: python tools/train_encoder.py --triplets triplets.jsonl[.gz] --base <checkpoint dir> --out <dir>
       [--epochs 1] [--batch-size 16] [--lr 2e-5] [--max-tokens 64] [--seed 7] [--device auto|cpu|cuda]
"""
import argparse
import gzip
import json
import math
import random
import sys
import time
from pathlib import Path

import torch
from sentence_transformers import SentenceTransformer, models
from transformers import get_linear_schedule_with_warmup

SERVING_MAX_TOKENS = 256  # src/embed/model-files.ts MAX_TOKENS
SCALE = 20.0  # MultipleNegativesRankingLoss's default


def read_triplets(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf8") as f:
        return [json.loads(line) for line in f if line.strip()]


def embed(model, texts, device):
    prepare = getattr(model, "preprocess", None) or model.tokenize  # tokenize before sentence-transformers 6
    feats = {k: v.to(device) if torch.is_tensor(v) else v for k, v in prepare(texts).items()}
    return torch.nn.functional.normalize(model(feats)["sentence_embedding"], dim=-1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triplets", type=Path, required=True)
    ap.add_argument("--base", type=Path, required=True, help="a BERT checkpoint: config.json, model.safetensors, tokenizer")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--device", default="auto")
    a = ap.parse_args()

    random.seed(a.seed)
    torch.manual_seed(a.seed)
    device = ("cuda" if torch.cuda.is_available() else "cpu") if a.device == "auto" else a.device
    triplets = read_triplets(a.triplets)
    if not triplets:
        sys.exit("train_encoder: no triplets")
    word = models.Transformer(str(a.base), max_seq_length=a.max_tokens)
    pool = models.Pooling(word.auto_model.config.hidden_size, pooling_mode="mean")
    model = SentenceTransformer(modules=[word, pool], device=device)
    print(f"train_encoder: {len(triplets)} triplets, batch {a.batch_size}, {a.epochs} epoch(s), max {a.max_tokens} tokens, device {device}", file=sys.stderr, flush=True)

    steps_per_epoch = math.ceil(len(triplets) / a.batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps_per_epoch * a.epochs), steps_per_epoch * a.epochs)
    report = {"device": device, "triplets": len(triplets), "batchSize": a.batch_size, "lr": a.lr, "maxTokens": a.max_tokens,
              "loss": "MultipleNegativesRankingLoss (in-batch positives and mined hard negatives, scale 20)", "epochs": []}
    started = time.time()
    for epoch in range(a.epochs):
        model.train()
        random.shuffle(triplets)
        total = 0.0
        for step in range(steps_per_epoch):
            batch = triplets[step * a.batch_size: (step + 1) * a.batch_size]
            with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=device == "cuda"):
                q = embed(model, [t["query"] for t in batch], device)
                d = embed(model, [t["positive"] for t in batch] + [t["negative"] for t in batch], device)
            scores = SCALE * q.float() @ d.float().T  # [b, 2b]: row i's answer is column i
            loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(batch), device=device))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item()
            if (step + 1) % 20 == 0 or step + 1 == steps_per_epoch:
                print(f"train_encoder: epoch {epoch + 1} step {step + 1}/{steps_per_epoch} mean loss {total / (step + 1):.4f} ({time.time() - started:.0f} s)", file=sys.stderr, flush=True)
        report["epochs"].append({"epoch": epoch + 1, "loss": round(total / steps_per_epoch, 4), "seconds": round(time.time() - started, 1)})
    report["trainSeconds"] = round(time.time() - started, 1)

    # Exact float32 embeddings at the serving length: the exporter's parity check compares our
    # ONNX encoder's vectors to these.
    model.eval()
    model.to("cpu")
    word.max_seq_length = SERVING_MAX_TOKENS
    texts = [t[k] for t in triplets[:3] for k in ("query", "positive", "negative")]
    with torch.no_grad():
        vectors = embed(model, texts, "cpu")
    report["probe"] = [{"text": t, "embedding": [round(float(x), 7) for x in v]} for t, v in zip(texts, vectors)]
    a.out.mkdir(parents=True, exist_ok=True)
    word.auto_model.save_pretrained(str(a.out), safe_serialization=True)
    word.tokenizer.save_pretrained(str(a.out))
    (a.out / "training-report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "probe"}))


if __name__ == "__main__":
    main()
