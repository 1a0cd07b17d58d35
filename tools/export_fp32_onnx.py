#!/usr/bin/env python3
"""Build an fp32 ONNX graph of sentence-transformers/all-MiniLM-L6-v2 without torch.

The BERT encoder is written out op by op with ``onnx.helper`` and filled with the
fp32 weights from ``model.safetensors``. On top of the encoder the graph does the
sentence-transformers head (attention-mask mean pooling + L2 normalisation), so a
caller that only needs embeddings reads a [batch, 384] tensor instead of copying
the whole [batch, seq, 384] hidden state out of the runtime.

Inputs  (int64, [batch, seq]): input_ids, attention_mask, token_type_ids
Outputs (float32): last_hidden_state [batch, seq, hidden], sentence_embedding [batch, hidden]

The op patterns follow what the PyTorch/HF exporter emits (MatMul+Add, Reshape/Transpose
attention with the (1 - mask) * -10000 additive mask, Div/Erf GELU, LayerNormalization), and
residual shapes stay symbolic, so onnxruntime's default optimizer fuses them into
SkipLayerNormalization, BiasGelu and FusedMatMul. (Its Attention fusion only matches
opset <= 12 graphs; an opset-12 variant that did fuse Attention was only 1-3% faster on
2 CPU threads, not worth leaving opset 17 and its standard LayerNormalization op.)

Requirements (Python 3.11, see tools/requirements-export.txt): onnx, numpy, safetensors.

Usage:
    python tools/export_fp32_onnx.py --model-dir <dir with config.json + model.safetensors> --out model.onnx
"""
import argparse
import json
import math
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load_file

OPSET = 17  # first opset with a native LayerNormalization op


class GraphBuilder:
    """Collects nodes and initializers; every helper returns the name of its output."""

    def __init__(self):
        self.nodes, self.inits, self._n = [], {}, 0

    def const(self, name, array):
        """Register an initializer once; shared constants (shapes, scalars) are reused by name."""
        if name not in self.inits:
            self.inits[name] = numpy_helper.from_array(np.asarray(array), name)
        return name

    def op(self, op_type, inputs, name, **attrs):
        self._n += 1
        self.nodes.append(helper.make_node(op_type, inputs, [name], name=f"{op_type}_{self._n}", **attrs))
        return name


def linear(g, x, w, prefix, out):
    """torch Linear (y = x W^T + b) as MatMul + Add: the layout ORT fuses."""
    wname = g.const(f"{prefix}.weight_T", w[f"{prefix}.weight"].T.copy())  # [in, out]
    bname = g.const(f"{prefix}.bias", w[f"{prefix}.bias"])
    return g.op("Add", [g.op("MatMul", [x, wname], f"{out}_mm"), bname], out)


def layer_norm(g, x, w, prefix, eps, out):
    gamma = g.const(f"{prefix}.weight", w[f"{prefix}.weight"])
    beta = g.const(f"{prefix}.bias", w[f"{prefix}.bias"])
    return g.op("LayerNormalization", [x, gamma, beta], out, axis=-1, epsilon=eps)


def embeddings(g, w, cfg):
    """word + position + token_type embeddings, then LayerNorm."""
    p = "embeddings"
    words = g.op("Gather", [g.const(f"{p}.word", w[f"{p}.word_embeddings.weight"]), "input_ids"], "emb_word")
    types = g.op("Gather", [g.const(f"{p}.type", w[f"{p}.token_type_embeddings.weight"]), "token_type_ids"], "emb_type")
    # position_ids = cumsum(ones_like(input_ids), axis=1) - 1, i.e. [0, 1, ..., seq-1] per row.
    # Not Range(Shape(...)): that loses the symbolic "sequence" dim in shape inference, and
    # ORT's SkipLayerNorm/Attention fusions only fire when residual shapes match symbolically.
    ones = g.op("Add", [g.op("Mul", ["input_ids", g.const("zero_i64", np.array(0, np.int64))], "ids_zero"),
                        g.const("one_i64", np.array(1, np.int64))], "ids_ones")
    positions = g.op("Sub", [g.op("CumSum", [ones, g.const("one_i64", np.array(1, np.int64))], "pos_cumsum"),
                             g.const("one_i64", np.array(1, np.int64))], "position_ids")
    pos = g.op("Gather", [g.const(f"{p}.position", w[f"{p}.position_embeddings.weight"]), positions], "emb_pos")
    summed = g.op("Add", [g.op("Add", [words, pos], "emb_word_pos"), types], "emb_sum")
    return layer_norm(g, summed, w, f"{p}.LayerNorm", cfg["layer_norm_eps"], "emb_out")


def additive_mask(g):
    """[batch, seq] 0/1 mask -> [batch, 1, 1, seq] float: 0 for tokens, -10000 for padding.

    Built once and shared by all layers. The Unsqueeze/Cast/Sub/Mul chain with the constants
    1 and -10000 is the HF-export form that ORT's attention fusers (runtime and
    onnxruntime.transformers) look for. Any 0/1 mask works here, not only right padding.
    """
    m = g.op("Unsqueeze", ["attention_mask", g.const("axes_1", np.array([1], np.int64))], "mask_u1")
    m = g.op("Unsqueeze", [m, g.const("axes_2", np.array([2], np.int64))], "mask_u2")
    m = g.op("Cast", [m], "mask_f", to=TensorProto.FLOAT)
    m = g.op("Sub", [g.const("one_f", np.array(1.0, np.float32)), m], "mask_inv")
    return g.op("Mul", [m, g.const("neg_10000", np.array(-10000.0, np.float32))], "mask_add")


def self_attention(g, x, mask, w, p, heads, head_dim, hidden):
    """Scaled dot-product attention, returns the context before the output projection."""
    split = g.const("shape_split_heads", np.array([0, 0, heads, head_dim], np.int64))  # 0 = keep dim
    merge = g.const("shape_merge_heads", np.array([0, 0, hidden], np.int64))

    def project(kind, perm):  # [B,S,H] -> [B,heads,S,d] (keys: [B,heads,d,S], ready for MatMul)
        y = linear(g, x, w, f"{p}.self.{kind}", f"{p}.{kind}")
        return g.op("Transpose", [g.op("Reshape", [y, split], f"{p}.{kind}_4d")], f"{p}.{kind}_t", perm=perm)

    q, k, v = project("query", [0, 2, 1, 3]), project("key", [0, 2, 3, 1]), project("value", [0, 2, 1, 3])
    scores = g.op("Div", [g.op("MatMul", [q, k], f"{p}.qk"),
                          g.const("sqrt_head_dim", np.array(math.sqrt(head_dim), np.float32))], f"{p}.qk_scaled")
    probs = g.op("Softmax", [g.op("Add", [scores, mask], f"{p}.qk_masked")], f"{p}.probs", axis=3)
    ctx = g.op("Transpose", [g.op("MatMul", [probs, v], f"{p}.ctx")], f"{p}.ctx_t", perm=[0, 2, 1, 3])
    return g.op("Reshape", [ctx, merge], f"{p}.ctx_merged")


def gelu(g, x, out):
    """Exact GELU, 0.5 * x * (1 + erf(x / sqrt(2))), in the Div/Erf/Add/Mul/Mul order ORT fuses."""
    e = g.op("Erf", [g.op("Div", [x, g.const("sqrt2", np.array(math.sqrt(2.0), np.float32))], f"{out}_div")], f"{out}_erf")
    a = g.op("Add", [e, g.const("one_f_gelu", np.array(1.0, np.float32))], f"{out}_add")
    return g.op("Mul", [g.op("Mul", [x, a], f"{out}_mul"), g.const("half", np.array(0.5, np.float32))], out)


def encoder_layer(g, x, mask, w, i, cfg, out):
    """Post-LN BERT block: x = LN(x + Attn(x)); x = LN(x + FFN(x))."""
    p, hidden, heads = f"encoder.layer.{i}", cfg["hidden_size"], cfg["num_attention_heads"]
    eps = cfg["layer_norm_eps"]
    ctx = self_attention(g, x, mask, w, f"{p}.attention", heads, hidden // heads, hidden)
    attn = linear(g, ctx, w, f"{p}.attention.output.dense", f"{p}.attn_out")
    x = layer_norm(g, g.op("Add", [attn, x], f"{p}.attn_res"), w, f"{p}.attention.output.LayerNorm", eps, f"{p}.attn_ln")
    inter = gelu(g, linear(g, x, w, f"{p}.intermediate.dense", f"{p}.ffn_in"), f"{p}.gelu")
    ffn = linear(g, inter, w, f"{p}.output.dense", f"{p}.ffn_out")
    return layer_norm(g, g.op("Add", [ffn, x], f"{p}.ffn_res"), w, f"{p}.output.LayerNorm", eps, out)


def pool_and_normalize(g, hidden_state):
    """sentence-transformers head: masked mean over tokens, then x / max(||x||, 1e-12)."""
    m = g.op("Unsqueeze", [g.op("Cast", ["attention_mask"], "pool_mask_f", to=TensorProto.FLOAT),
                           g.const("axes_m1", np.array([-1], np.int64))], "pool_mask")  # [B,S,1]
    axes_seq = g.const("axes_seq", np.array([1], np.int64))  # opset 13+: ReduceSum axes is an input
    summed = g.op("ReduceSum", [g.op("Mul", [hidden_state, m], "pool_masked"), axes_seq], "pool_sum", keepdims=0)
    count = g.op("ReduceSum", [m, axes_seq], "pool_count", keepdims=0)  # [B,1]
    count = g.op("Max", [count, g.const("min_count", np.array(1e-9, np.float32))], "pool_count_safe")
    mean = g.op("Div", [summed, count], "pool_mean")
    norm = g.op("ReduceL2", [mean], "pool_norm", axes=[1], keepdims=1)  # opset 17: axes is an attribute
    norm = g.op("Max", [norm, g.const("min_norm", np.array(1e-12, np.float32))], "pool_norm_safe")
    return g.op("Div", [mean, norm], "sentence_embedding")


def build_model(model_dir: Path) -> onnx.ModelProto:
    cfg = json.loads((model_dir / "config.json").read_text())
    assert cfg.get("model_type") == "bert" and cfg.get("hidden_act") == "gelu", "expects a BERT with exact GELU"
    assert cfg.get("position_embedding_type", "absolute") == "absolute"
    w = {k: v.astype(np.float32) if v.dtype != np.int64 else v
         for k, v in load_file(str(model_dir / "model.safetensors")).items()}
    w = {k.removeprefix("bert."): v for k, v in w.items()}  # tolerate BertModel saved inside a wrapper

    g = GraphBuilder()
    x = embeddings(g, w, cfg)
    mask = additive_mask(g)
    n_layers = cfg["num_hidden_layers"]
    for i in range(n_layers):  # the last block writes straight into the graph output
        x = encoder_layer(g, x, mask, w, i, cfg, "last_hidden_state" if i == n_layers - 1 else f"layer{i}.out")
    pool_and_normalize(g, x)

    hidden = cfg["hidden_size"]
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"])
              for n in ("input_ids", "attention_mask", "token_type_ids")]
    outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", hidden]),
               helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", hidden])]
    graph = helper.make_graph(g.nodes, "all-MiniLM-L6-v2", inputs, outputs, list(g.inits.values()))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="tools/export_fp32_onnx.py")
    model.ir_version = 8  # IR 8 + opset 17: onnxruntime (python / -node / -web) >= 1.13
    onnx.checker.check_model(model, full_check=True)
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model-dir", type=Path, required=True, help="directory with config.json and model.safetensors")
    ap.add_argument("--out", type=Path, required=True, help="output .onnx path")
    args = ap.parse_args()
    model = build_model(args.model_dir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(args.out))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {len(model.graph.node)} nodes, opset {OPSET})")


if __name__ == "__main__":
    main()
