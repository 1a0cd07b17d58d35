#!/usr/bin/env python3
"""Fit the learned ranker on rows written by `npm run train:ranker` and export it to ONNX.

Input CSV: user,label,kinds,<feature columns in the served order> (kinds: the negative kinds that
sampled the row, "+"-joined, empty for a positive). With --pairs, the pair scorer
(tools/pair_scorer.py) is fitted first and its out-of-fold scores fill the pairScore column. Two maintained scikit-learn models
are fitted on 80% of the users and compared by mean per-user ROC AUC on the other 20%: a
standardised logistic regression and a gradient-boosted tree ensemble. The better one
is refitted on every row and exported with skl2onnx (probabilities as a plain [n, 2] tensor).
Prints one JSON object: the chosen model, both validation AUCs, row counts, fit seconds.

Usage: python tools/train_ranker.py --csv rows.csv --out model.onnx [--seed 7]
       [--pairs pairs.f32 --pair-width 768 --pair-out pair-scorer.onnx]
"""
import argparse
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np
from skl2onnx import to_onnx
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from pair_scorer import fit_pair_scorer, read_pairs

KINDS = ("random", "hard", "matched")


def read_rows(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        users, labels, kinds, features = [], [], [], []
        for row in reader:
            users.append(row[0])
            labels.append(int(row[1]))
            kinds.append(set(filter(None, row[2].split("+"))))
            features.append([float(x) for x in row[3:]])
    return header[3:], np.array(users), np.array(labels), kinds, np.array(features, dtype=np.float32)


def mean_user_auc(users, labels, scores):
    aucs = []
    for u in np.unique(users):
        m = users == u
        if 0 < labels[m].sum() < m.sum():
            aucs.append(roc_auc_score(labels[m], scores[m]))
    return float(np.mean(aucs)) if aucs else float("nan")


def auc_by_kind(users, labels, kinds, scores):
    """Mean per-user AUC of the positives against each kind of negative alone."""
    out = {}
    for kind in KINDS:
        keep = np.array([label == 1 or kind in k for label, k in zip(labels, kinds)])
        auc = mean_user_auc(users[keep], labels[keep], scores[keep])
        out[kind] = None if np.isnan(auc) else round(auc, 4)
    return out


def log(message):
    print(message, file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--pairs", type=Path)
    ap.add_argument("--pair-width", type=int)
    ap.add_argument("--pair-out", type=Path)
    a = ap.parse_args()
    names, users, labels, kinds, x = read_rows(a.csv)
    pair_summary = None
    if a.pairs:
        if "pairScore" not in names or not a.pair_width or not a.pair_out:
            raise SystemExit("--pairs needs the pairScore column, --pair-width and --pair-out")
        pairs = read_pairs(a.pairs, len(labels), a.pair_width)
        oof, pair_summary = fit_pair_scorer(pairs, labels, users, a.seed, a.pair_out, mean_user_auc, log)
        pair_summary["validationByKind"] = auc_by_kind(users, labels, kinds, oof)
        x[:, names.index("pairScore")] = oof
    candidates = {
        "logistic-regression": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        # Not HistGradientBoosting: skl2onnx 1.20 cannot convert it with onnx 1.23 (bool attributes).
        "gradient-boosting": lambda: GradientBoostingClassifier(n_estimators=150, max_depth=3, learning_rate=0.1, subsample=0.8, random_state=a.seed),
    }
    train, valid = next(GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=a.seed).split(x, labels, users))
    validation, seconds, held_out = {}, {}, {}
    for name, make in candidates.items():
        started = time.time()
        model = make().fit(x[train], labels[train])
        seconds[name] = round(time.time() - started, 2)
        held_out[name] = model.predict_proba(x[valid])[:, 1]
        validation[name] = mean_user_auc(users[valid], labels[valid], held_out[name])
    best = max(validation, key=validation.get)
    by_kind = auc_by_kind(users[valid], labels[valid], [kinds[i] for i in valid], held_out[best])
    started = time.time()
    model = candidates[best]().fit(x, labels)
    fit_all = round(time.time() - started, 2)
    classifier = model.steps[-1][1] if hasattr(model, "steps") else model
    onx = to_onnx(model, x[:1], options={id(classifier): {"zipmap": False}}, target_opset={"": 17, "ai.onnx.ml": 3})
    a.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = a.out.with_suffix(".onnx.partial")
    tmp.write_bytes(onx.SerializeToString())
    tmp.replace(a.out)
    print(json.dumps({"model": best, "features": names, "rows": int(len(labels)), "positives": int(labels.sum()), "users": int(len(np.unique(users))),
                      "validationMeanUserAuc": validation, "validationByKind": by_kind, "fitSeconds": seconds,
                      "refitSeconds": fit_all, **({"pairScorer": pair_summary} if pair_summary else {})}))


if __name__ == "__main__":
    main()
