"""The pair scorer, fitted by tools/train_ranker.py before the ranker.

Its rows are src/recommend/rank/pair-inputs.ts: the candidate's unit vector times each of the
user's unit interest vectors, per dimension. Two maintained scikit-learn models are compared by
out-of-fold mean per-user ROC AUC (folds by user, so no user scores rows it was fitted on): a
standardised logistic regression (a learned weighting of the cosine's dimensions) and a one-layer
MLP. The ranker then trains on the better one's out-of-fold scores, which are what serving will
see on users the scorer never met; the scorer itself is refitted on every row for serving.
"""
import time

import numpy as np
from skl2onnx import to_onnx
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

FOLDS = 5


def candidates(seed):
    return {
        "logistic-regression": lambda: make_pipeline(StandardScaler(), LogisticRegression(C=0.05, max_iter=500)),
        "mlp": lambda: make_pipeline(
            StandardScaler(),
            MLPClassifier(hidden_layer_sizes=(32,), alpha=1e-2, batch_size=512, learning_rate_init=1e-3,
                          max_iter=40, early_stopping=True, n_iter_no_change=4, random_state=seed),
        ),
    }


def out_of_fold(make, x, labels, users):
    oof = np.zeros(len(labels), dtype=np.float32)
    for train, test in GroupKFold(n_splits=FOLDS).split(x, labels, users):
        oof[test] = make().fit(x[train], labels[train]).predict_proba(x[test])[:, 1]
    return oof


def fit_pair_scorer(x, labels, users, seed, out, mean_user_auc, log):
    """Returns (out-of-fold scores of the chosen model, a summary for the manifest); writes `out`."""
    validation, seconds, scores = {}, {}, {}
    for name, make in candidates(seed).items():
        started = time.time()
        scores[name] = out_of_fold(make, x, labels, users)
        seconds[name] = round(time.time() - started, 2)
        validation[name] = mean_user_auc(users, labels, scores[name])
        log(f"pair scorer {name}: out-of-fold mean per-user AUC {validation[name]:.4f} ({seconds[name]} s)")
    best = max(validation, key=validation.get)
    started = time.time()
    model = candidates(seed)[best]().fit(x, labels)
    refit = round(time.time() - started, 2)
    classifier = model.steps[-1][1]
    onx = to_onnx(model, x[:1], options={id(classifier): {"zipmap": False}}, target_opset={"": 17, "ai.onnx.ml": 3})
    tmp = out.with_suffix(".onnx.partial")
    tmp.write_bytes(onx.SerializeToString())
    tmp.replace(out)
    summary = {"model": best, "width": int(x.shape[1]), "outOfFoldMeanUserAuc": validation,
               "fitSeconds": seconds, "refitSeconds": refit}
    return scores[best], summary


def read_pairs(path, rows, width):
    x = np.fromfile(path, dtype="<f4")
    if x.size != rows * width:
        raise SystemExit(f"{path}: {x.size} floats, expected {rows} rows x {width}")
    return x.reshape(rows, width)
