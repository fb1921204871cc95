#!/usr/bin/env python3
"""Goldens for FashionCLIPEvaluation's metrics, computed by scikit-learn.

Writes Fixtures/metrics/classification.json and Fixtures/metrics/retrieval.json. Deterministic
(seeded). Classification cases include classes never predicted, predictions outside the true
classes and an explicit label list; retrieval cases include exact ties.
"""
import json
import pathlib
import sys
import warnings

import numpy as np
import sklearn
import sklearn.exceptions
from sklearn.metrics import (accuracy_score, confusion_matrix, f1_score, label_ranking_average_precision_score,
                             precision_recall_fscore_support, top_k_accuracy_score)

FIXTURE_VERSION = 1
ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Fixtures" / "metrics"


def classification_case(name, y_true, y_pred, labels=None):
    kw = {} if labels is None else {"labels": labels}
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0, **kw)
    label_list = labels if labels is not None else sorted(set(y_true) | set(y_pred))
    case = {
        "name": name,
        "y_true": list(y_true),
        "y_pred": list(y_pred),
        "labels": labels,
        "resolved_labels": label_list,
        "accuracy": accuracy_score(y_true, y_pred),
        "precision": p.tolist(),
        "recall": r.tolist(),
        "f1": f.tolist(),
        "support": [int(x) for x in s],
        # Default zero_division ("warn") on purpose: that is what users of f1_score get.
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", **kw)),
        "weighted_f1": float(f1_score(y_true, y_pred, average="weighted", **kw)),
        "macro_precision": float(precision_recall_fscore_support(y_true, y_pred, average="macro", **kw)[0]),
        "macro_recall": float(precision_recall_fscore_support(y_true, y_pred, average="macro", **kw)[1]),
        "weighted_precision": float(precision_recall_fscore_support(y_true, y_pred, average="weighted", **kw)[0]),
        "weighted_recall": float(precision_recall_fscore_support(y_true, y_pred, average="weighted", **kw)[1]),
        "confusion": confusion_matrix(y_true, y_pred, labels=label_list).tolist(),
    }
    return case


def classification_cases(rng):
    classes = ["t-shirt", "dress", "shoes", "bag", "jacket", "skirt", "hat"]
    cases = []
    for i in range(6):
        n = int(rng.integers(5, 60))
        k = int(rng.integers(2, len(classes) + 1))
        pool = classes[:k]
        y_true = [pool[j] for j in rng.integers(0, k, n)]
        # Mostly right, sometimes wrong; never predicts the last class of the pool.
        y_pred = [t if rng.random() < 0.6 else pool[int(rng.integers(0, max(1, k - 1)))] for t in y_true]
        y_pred = [p if p != pool[-1] else pool[0] for p in y_pred]
        cases.append(classification_case(f"random_{i}", y_true, y_pred))
    # Predictions outside the true classes.
    y_true = [classes[j] for j in rng.integers(0, 3, 40)]
    y_pred = [classes[j] for j in rng.integers(0, 6, 40)]
    cases.append(classification_case("predicted_outside_truth", y_true, y_pred))
    # An explicit label list with a class absent from both, and samples outside the list.
    cases.append(classification_case("explicit_labels", y_true, y_pred, labels=["shoes", "dress", "t-shirt", "hat"]))
    cases.append(classification_case("perfect", ["a", "b", "b", "c"], ["a", "b", "b", "c"]))
    cases.append(classification_case("all_wrong", ["a", "a", "b"], ["b", "b", "a"]))
    return cases


def retrieval_ranks(sim):
    """rank of the partner = 1 + #{others scoring >= partner}."""
    n = sim.shape[0]
    diag = sim[np.arange(n), np.arange(n)]
    return 1 + (sim >= diag[:, None]).sum(axis=1) - 1


def retrieval_case(name, sim):
    n = sim.shape[0]
    out = {"name": name, "similarity": sim.tolist()}
    eye = np.eye(n, dtype=int)
    for direction, m in (("text_to_image", sim), ("image_to_text", sim.T)):
        ranks = retrieval_ranks(m)
        d = {
            "ranks": ranks.tolist(),
            "hits": {str(k): float(np.mean(ranks <= k)) for k in (1, 5, 10)},
            # scikit-learn's LRAP with one relevant item per query is the MRR with pessimistic ties.
            "mrr": float(label_ranking_average_precision_score(eye, m)),
        }
        if len(np.unique(m)) == m.size:  # without ties, HITS@k is top_k_accuracy_score
            for k in (1, 5, 10):
                if k < n:
                    assert abs(top_k_accuracy_score(np.arange(n), m, k=k, labels=np.arange(n)) - d["hits"][str(k)]) < 1e-12
        out[direction] = d
    return out


def retrieval_cases(rng):
    cases = []
    for i, n in enumerate((12, 30)):
        t = rng.standard_normal((n, 8)).astype(np.float32)
        im = (t + 1.2 * rng.standard_normal((n, 8))).astype(np.float32)
        t /= np.linalg.norm(t, axis=1, keepdims=True)
        im /= np.linalg.norm(im, axis=1, keepdims=True)
        cases.append(retrieval_case(f"random_{i}", (t @ im.T).astype(np.float32).astype(np.float64)))
    # Coarse scores with many exact ties (values exactly representable in fp32).
    sim = rng.integers(0, 4, (15, 15)).astype(np.float64) / 4
    cases.append(retrieval_case("ties", sim))
    return cases


def main():
    warnings.filterwarnings("ignore", category=sklearn.exceptions.UndefinedMetricWarning)
    rng = np.random.default_rng(20240611)
    OUT.mkdir(parents=True, exist_ok=True)
    meta = {"fixture_version": FIXTURE_VERSION, "generator": "Scripts/reference/make_metric_goldens.py",
            "sklearn": sklearn.__version__, "numpy": np.__version__, "python": sys.version.split()[0]}
    (OUT / "classification.json").write_text(json.dumps({"metadata": meta, "cases": classification_cases(rng)}, indent=1) + "\n")
    (OUT / "retrieval.json").write_text(json.dumps({"metadata": meta, "cases": retrieval_cases(rng)}, indent=1) + "\n")
    print(f"wrote {OUT}/classification.json and retrieval.json")


if __name__ == "__main__":
    main()
