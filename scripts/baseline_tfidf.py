#!/usr/bin/python3
"""The practitioner's baseline for a classification run: TF-IDF + logistic regression (scikit-learn, Debian's
python3-sklearn), trained on the very same cleaned train split the run used (its splits/*.jsonl) and scored on
the same test split, printed beside the run's own test metrics. Not part of the test suite.

Usage: /usr/bin/python3 scripts/baseline_tfidf.py runs/<run-dir> [--chars N] [--thresholds]

--chars N also fits the baseline on what a model with a fixed window sees: each e-mail's first N characters,
its last N, and its first N/2 + last N/2 (data.truncation.keep: head, tail, head-tail), test F1 of each.
--thresholds (binary) also moves the decision threshold off 0.5: tuned for F1 on the validation split and
applied to test (what a practitioner may do), and the best threshold for test itself (an oracle: the most
any threshold can give this model on this split)."""
import json
import os
import sys

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

run = sys.argv[1]
chars = int(sys.argv[sys.argv.index("--chars") + 1]) if "--chars" in sys.argv else None


def load(name):
    with open(os.path.join(run, "splits", f"{name}.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["text"] for r in rows], [r["label"] for r in rows]


(xtr, ytr), (xva, yva), (xte, yte) = load("train"), load("validation"), load("test")


def fit(view=lambda x: x, split=None):
    vec = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2), max_features=200_000)
    clf = LogisticRegression(max_iter=2000, C=10.0)
    clf.fit(vec.fit_transform([view(x) for x in xtr]), ytr)
    return clf.predict_proba(vec.transform([view(x) for x in (split or xte)]))


p = fit()
pred = p.argmax(1)
binary = len(set(ytr)) == 2
base = {
    "accuracy": accuracy_score(yte, pred),
    "f1": f1_score(yte, pred) if binary else f1_score(yte, pred, average="macro"),
    "rocAuc": roc_auc_score(yte, p[:, 1]) if binary else float("nan"),
}
with open(os.path.join(run, "summary.json")) as f:
    ours = json.load(f)
print(f"{'metric':10} {'anneal':>10} {'tfidf+logreg':>13}")
for k, v in base.items():
    print(f"{k:10} {ours.get('test/' + k, float('nan')):10.4f} {v:13.4f}")

if chars:
    views = {
        "head": lambda x: x[:chars],
        "tail": lambda x: x[-chars:],
        "head-tail": lambda x: x if len(x) <= chars else x[: chars // 2] + " " + x[-(chars - chars // 2) :],
    }
    print(f"\ntf-idf + logreg on {chars} characters of each e-mail (test F1):")
    for name, view in views.items():
        print(f"{name:10} {f1_score(yte, fit(view).argmax(1)):.4f}")

if "--thresholds" in sys.argv and binary:
    pv = fit(split=xva)[:, 1]
    pt = p[:, 1]

    def best(scores, labels):
        return max(sorted(set(scores)), key=lambda t: f1_score(labels, scores >= t))

    tuned = best(pv, yva)
    oracle = best(pt, yte)
    print("\ntf-idf + logreg with the decision threshold moved off 0.5 (test F1):")
    print(f"{'0.5':10} {f1_score(yte, pt >= 0.5):.4f}")
    print(f"{'tuned':10} {f1_score(yte, pt >= tuned):.4f}  (threshold {tuned:.3f}, chosen on validation)")
    print(f"{'oracle':10} {f1_score(yte, pt >= oracle):.4f}  (threshold {oracle:.3f}, chosen on test itself)")
