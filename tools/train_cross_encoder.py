#!/usr/bin/env python3
"""Fine-tune a cross-encoder on the (query, video document, label) pairs that
`npm run train:cross-encoder` writes, starting from a BERT checkpoint (by default the
all-MiniLM-L6-v2 weights the project provisions), with sentence-transformers' CrossEncoder.

Pairs are tokenised exactly as the rerank stage does (src/recommend/rerank/cross-encoder.ts):
[CLS] query[:24] [SEP] document [SEP], 64 tokens in all, token_type_ids 1 on the document, so the
model trains on the inputs it will be served. Loss: binary cross-entropy on one logit per pair.

10% of the users (by a seeded shuffle) are held aside: the mean per-user ROC AUC on them, per
negative kind, is reported before training and after each epoch, and the best epoch is kept.

Writes to --out: config.json, model.safetensors (BertForSequenceClassification), the tokenizer and
training-report.json (this run's figures, and exact logits of a few pairs for the export's parity check),
the input of `tools/make_cross_encoder_onnx.py --weights`. --half-out stores the weights in
float16 (half the size, for moving them between machines); the exporter widens them back.
Prints one JSON object on its last line.

Usage: python tools/train_cross_encoder.py --pairs pairs.jsonl[.gz] --base <checkpoint dir> --out <dir>
       [--epochs 3] [--batch-size 64] [--lr 4e-5] [--seed 7] [--device auto|cpu|cuda] [--half-out]
"""
import argparse
import gzip
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from sentence_transformers import CrossEncoder
from sklearn.metrics import roc_auc_score
from transformers import PreTrainedModel, get_linear_schedule_with_warmup

KINDS = ("random", "hard", "matched")


def read_pairs(path):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf8") as f:
        return [json.loads(line) for line in f if line.strip()]


class PairTokens:
    """The serving rule: query cut to its share first, the document to the rest."""

    def __init__(self, tokenizer, max_tokens, max_query):
        self.tok, self.max_tokens, self.max_query = tokenizer, max_tokens, min(max_query, max_tokens - 4)
        self.cls, self.sep, self.pad = tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id
        self.cache = {}

    def pieces(self, text):
        if text not in self.cache:
            self.cache[text] = self.tok.encode(text, add_special_tokens=False)
        return self.cache[text]

    def batch(self, pairs, device):
        rows = []
        for p in pairs:
            q = self.pieces(p["query"])[: self.max_query]
            d = self.pieces(p["doc"])[: self.max_tokens - 3 - len(q)]
            rows.append(([self.cls, *q, self.sep, *d, self.sep], len(q) + 2))
        width = max(len(ids) for ids, _ in rows)
        ids = torch.full((len(rows), width), self.pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        types = torch.zeros((len(rows), width), dtype=torch.long)
        for i, (row, doc_start) in enumerate(rows):
            ids[i, : len(row)] = torch.tensor(row)
            mask[i, : len(row)] = 1
            types[i, doc_start: len(row)] = 1
        return {"input_ids": ids.to(device), "attention_mask": mask.to(device), "token_type_ids": types.to(device)}


def logits(model, feats):
    return model(feats)["scores"].view(-1)


@torch.no_grad()
def score(model, tokens, pairs, device, batch_size=256, fast=True):
    model.eval()
    out = []
    for i in range(0, len(pairs), batch_size):
        with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=fast and device == "cuda"):
            out.append(logits(model, tokens.batch(pairs[i: i + batch_size], device)).float().cpu())
    return torch.cat(out).numpy() if out else np.zeros(0)


def mean_user_auc(pairs, scores):
    """Per negative kind: mean over users of the AUC of their positives against that kind's negatives."""
    by_user = {}
    for p, s in zip(pairs, scores):
        by_user.setdefault(p["user"], []).append((p, float(s)))
    result = {}
    for kind in KINDS:
        aucs = []
        for rows in by_user.values():
            pos = [s for p, s in rows if p["label"] == 1]
            neg = [s for p, s in rows if kind in p["kinds"]]
            if pos and neg:
                aucs.append(roc_auc_score([1] * len(pos) + [0] * len(neg), pos + neg))
        result[kind] = round(float(np.mean(aucs)), 4) if aucs else None
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pairs", type=Path, required=True)
    ap.add_argument("--base", type=Path, required=True, help="a BERT checkpoint: config.json, model.safetensors, tokenizer")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--max-tokens", type=int, default=64)
    ap.add_argument("--max-query-tokens", type=int, default=24)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--half-out", action="store_true")
    a = ap.parse_args()

    random.seed(a.seed)
    torch.manual_seed(a.seed)
    device = ("cuda" if torch.cuda.is_available() else "cpu") if a.device == "auto" else a.device
    pairs = read_pairs(a.pairs)
    users = sorted({p["user"] for p in pairs})
    random.Random(a.seed).shuffle(users)
    held = set(users[: max(1, len(users) // 10)])
    train = [p for p in pairs if p["user"] not in held]
    valid = [p for p in pairs if p["user"] in held]
    if not any(p["label"] == 1 for p in train) or not any(p["label"] == 0 for p in train):
        sys.exit("train_cross_encoder: the pairs need both labels")
    print(f"train_cross_encoder: {len(train)} training pairs, {len(valid)} validation pairs ({len(held)} users), device {device}", file=sys.stderr)

    model = CrossEncoder(str(a.base), num_labels=1, max_length=a.max_tokens, device=device, local_files_only=True)
    model.float()  # a float16 base (--half-out) trains in float32
    tokens = PairTokens(model.tokenizer, a.max_tokens, a.max_query_tokens)
    report = {"device": device, "trainPairs": len(train), "validationPairs": len(valid), "validationUsers": len(held),
              "epochs": [], "before": mean_user_auc(valid, score(model, tokens, valid, device))}
    print(f"train_cross_encoder: validation AUC before training {report['before']}", file=sys.stderr)

    steps_per_epoch = math.ceil(len(train) / a.batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps_per_epoch * a.epochs), steps_per_epoch * a.epochs)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    hf_model = next(m for m in model.modules() if isinstance(m, PreTrainedModel))
    best, best_state, started = None, None, time.time()
    for epoch in range(a.epochs):
        model.train()
        random.shuffle(train)
        total = 0.0
        for step in range(steps_per_epoch):
            batch = train[step * a.batch_size: (step + 1) * a.batch_size]
            labels = torch.tensor([float(p["label"]) for p in batch], device=device)
            with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=device == "cuda"):
                out = logits(model, tokens.batch(batch, device))
            loss = loss_fn(out.float(), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item()
        auc = mean_user_auc(valid, score(model, tokens, valid, device))
        mean = float(np.mean([v for v in auc.values() if v is not None]))
        report["epochs"].append({"epoch": epoch + 1, "loss": round(total / steps_per_epoch, 4), "validation": auc, "seconds": round(time.time() - started, 1)})
        print(f"train_cross_encoder: epoch {epoch + 1}/{a.epochs} loss {total / steps_per_epoch:.4f} validation AUC {auc} ({time.time() - started:.0f} s)", file=sys.stderr)
        if best is None or mean > best:
            best, report["bestEpoch"] = mean, epoch + 1
            best_state = {k: v.detach().to("cpu", copy=True) for k, v in hf_model.state_dict().items()}

    hf_model.load_state_dict(best_state)
    if a.half_out:
        hf_model.half().float()  # the weights as saved, so the probe below matches the export
    # Exact float32 logits of a few pairs: the exporter's parity check compares the ONNX model to these.
    probe = (valid or train)[:8]
    model.to("cpu")
    report["probe"] = [{"query": p["query"], "doc": p["doc"], "logit": round(float(s), 6)}
                       for p, s in zip(probe, score(model, tokens, probe, "cpu", fast=False))]
    if a.half_out:
        hf_model.half()
    a.out.mkdir(parents=True, exist_ok=True)
    hf_model.save_pretrained(str(a.out), safe_serialization=True)
    model.tokenizer.save_pretrained(str(a.out))
    report["trainSeconds"] = round(time.time() - started, 1)
    report["validation"] = report["epochs"][report["bestEpoch"] - 1]["validation"]
    (a.out / "training-report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
