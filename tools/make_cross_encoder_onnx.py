#!/usr/bin/env python3
"""Write a BERT cross-encoder ONNX with the standard contract, from trained or random weights.

With --weights DIR it exports a BertForSequenceClassification checkpoint with one label
(config.json + model.safetensors, as tools/train_cross_encoder.py writes it; float16 weights are
widened to float32). Without it, the weights are random: no cross-encoder weights can be
downloaded on our machines, so tests and benchmarks build one. The graph is the one tools/export_fp32_onnx.py writes for MiniLM (same ops, same ORT
fusions), topped with the sequence-classification head a hub cross-encoder has:

    [CLS] hidden state -> pooler (dense + tanh) -> classifier (dense) -> one logit per pair

Inputs  (int64, [batch, seq]): input_ids, attention_mask, token_type_ids
Output  (float32): logits [batch, 1]

The defaults are cross-encoder/ms-marco-MiniLM-L-6-v2's architecture (6 layers, 384 hidden,
12 heads, 1536 intermediate, the uncased BERT vocabulary), so timings are honest; the scores
mean nothing. Tests pass smaller sizes.

Usage:
    python tools/make_cross_encoder_onnx.py --out model.onnx --weights <checkpoint dir>
    python tools/make_cross_encoder_onnx.py --out model.onnx [--layers 6 --hidden 384 --heads 12 --intermediate 1536]
"""
import argparse
import sys
from pathlib import Path

import json

import numpy as np
import onnx
from onnx import TensorProto, helper
from safetensors.numpy import load_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export_fp32_onnx import OPSET, GraphBuilder, additive_mask, embeddings, encoder_layer, linear  # noqa: E402

VOCAB, MAX_POSITIONS, TYPES = 30522, 512, 2


def random_weights(layers, hidden, intermediate, seed):
    """BERT-named weights drawn like BERT's initialiser: N(0, 0.02), LayerNorm at identity."""
    rng = np.random.default_rng(seed)
    w = {}

    def dense(name, n_in, n_out):
        w[f"{name}.weight"] = rng.normal(0, 0.02, (n_out, n_in)).astype(np.float32)  # torch layout [out, in]
        w[f"{name}.bias"] = np.zeros(n_out, np.float32)

    def norm(name):
        w[f"{name}.weight"] = np.ones(hidden, np.float32)
        w[f"{name}.bias"] = np.zeros(hidden, np.float32)

    for name, rows in (("word", VOCAB), ("position", MAX_POSITIONS), ("token_type", TYPES)):
        w[f"embeddings.{name}_embeddings.weight"] = rng.normal(0, 0.02, (rows, hidden)).astype(np.float32)
    norm("embeddings.LayerNorm")
    for i in range(layers):
        p = f"encoder.layer.{i}"
        for kind in ("query", "key", "value"):
            dense(f"{p}.attention.self.{kind}", hidden, hidden)
        dense(f"{p}.attention.output.dense", hidden, hidden)
        norm(f"{p}.attention.output.LayerNorm")
        dense(f"{p}.intermediate.dense", hidden, intermediate)
        dense(f"{p}.output.dense", intermediate, hidden)
        norm(f"{p}.output.LayerNorm")
    dense("pooler.dense", hidden, hidden)
    w["classifier.weight"] = rng.normal(0, 0.5, (1, hidden)).astype(np.float32)  # wide enough that scores differ
    w["classifier.bias"] = np.zeros(1, np.float32)
    return w


def trained_weights(model_dir):
    """A one-label BertForSequenceClassification checkpoint: its weights (float32) and architecture."""
    cfg = json.loads((model_dir / "config.json").read_text())
    assert cfg.get("model_type") == "bert" and cfg.get("hidden_act") == "gelu", "expects a BERT with exact GELU"
    w = {k.removeprefix("bert."): v.astype(np.float32) if v.dtype != np.int64 else v
         for k, v in load_file(str(model_dir / "model.safetensors")).items()}
    assert w["classifier.weight"].shape[0] == 1, "expects one output label (a relevance logit)"
    return w, cfg


def build_model(w, cfg, name):
    hidden, heads = cfg["hidden_size"], cfg["num_attention_heads"]
    assert hidden % heads == 0, "hidden must be a multiple of heads"
    g = GraphBuilder()
    x = embeddings(g, w, cfg)
    mask = additive_mask(g)
    for i in range(cfg["num_hidden_layers"]):
        x = encoder_layer(g, x, mask, w, i, cfg, f"layer{i}.out")
    cls = g.op("Gather", [x, g.const("zero_idx", np.array(0, np.int64))], "cls_state", axis=1)  # [B, H]
    pooled = g.op("Tanh", [linear(g, cls, w, "pooler.dense", "pooler_dense")], "pooled")
    linear(g, pooled, w, "classifier", "logits")

    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"])
              for n in ("input_ids", "attention_mask", "token_type_ids")]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 1])]
    graph = helper.make_graph(g.nodes, name, inputs, outputs, list(g.inits.values()))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="tools/make_cross_encoder_onnx.py")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--weights", type=Path, help="a fine-tuned checkpoint dir; without it the weights are random")
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--hidden", type=int, default=384)
    ap.add_argument("--heads", type=int, default=12)
    ap.add_argument("--intermediate", type=int, default=1536)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    if a.weights:
        w, cfg = trained_weights(a.weights)
        model = build_model(w, cfg, "bert-cross-encoder")
        a.layers, a.hidden = cfg["num_hidden_layers"], cfg["hidden_size"]
    else:
        cfg = {"hidden_size": a.hidden, "num_attention_heads": a.heads, "layer_norm_eps": 1e-12, "num_hidden_layers": a.layers}
        model = build_model(random_weights(a.layers, a.hidden, a.intermediate, a.seed), cfg, "random-bert-cross-encoder")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = a.out.with_suffix(".onnx.partial")
    onnx.save(model, str(tmp))
    tmp.replace(a.out)  # never leave a half-written model where a reader looks
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.1f} MB, {a.layers} layers, {a.hidden} hidden)")


if __name__ == "__main__":
    main()
