"""eval_oracle.py — check `xpship evaluate` against scikit-learn (the oracle).

    /usr/bin/python3 eval_oracle.py XPSHIP binary

Generates evaluation sets with a fixed seed (balanced, imbalanced, tied
scores, weights, one-class edge cases, scores at 0 and 1), writes each as CSV,
runs `xpship evaluate -o`, and compares every metric with sklearn.metrics to
1e-9 relative. Per-group metrics are checked against sklearn on each group's
rows, and the fairness disparities against the Fairlearn definitions written
out in docs/evaluate.md (computed here from those per-group numbers). Prints
one line per case and exits 1 on the first mismatch.
"""
import json
import math
import os
import subprocess
import sys
import warnings

import numpy as np
from sklearn import metrics as skm

warnings.simplefilter("ignore")
XP = sys.argv[1]
TASK = sys.argv[2]
RNG = np.random.default_rng(20261206)
checked = 0


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def write_csv(path, cols):
    names = list(cols)
    n = len(cols[names[0]])
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for i in range(n):
            f.write(",".join(fmt(cols[c][i]) for c in names) + "\n")


def fmt(v):
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def run(args):
    out = "m.json"
    if os.path.exists(out):
        os.remove(out)
    p = subprocess.run([XP, "evaluate", "-o", out] + args, capture_output=True, text=True)
    if p.returncode != 0:
        fail("xpship %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
    with open(out) as f:
        return json.load(f), p.stderr


def compare(case, got, want, prefix=""):
    """want: name -> value (None: the metric must be absent)."""
    global checked
    for k, v in want.items():
        key = prefix + k
        if v is None or (isinstance(v, float) and math.isnan(v)):
            if k in got:
                fail("%s: %s should be absent (undefined), got %r" % (case, key, got[k]))
            continue
        if k not in got:
            fail("%s: %s missing (want %r)" % (case, key, v))
        if not close(got[k], float(v)):
            fail("%s: %s = %r, sklearn %r" % (case, key, got[k], float(v)))
        checked += 1


def ece(y, p, w):
    """10 equal-width bins (i/10, (i+1)/10], 0 in the first, as
    sklearn.calibration.calibration_curve bins; weighted mean |E[y] - E[p]|."""
    bins = np.linspace(0.0, 1.0, 11)
    ids = np.searchsorted(bins[1:-1], p)
    total = 0.0
    for b in range(10):
        m = ids == b
        if w[m].sum() > 0:
            total += abs(np.sum(w[m] * y[m]) - np.sum(w[m] * p[m]))
    return total / w.sum()


def binary_expect(y, s, pred, w, beta):
    """sklearn's binary metrics; s None with --pred."""
    sw = w
    out = {
        "accuracy": skm.accuracy_score(y, pred, sample_weight=sw),
        "balanced_accuracy": skm.balanced_accuracy_score(y, pred, sample_weight=sw),
        "precision": skm.precision_score(y, pred, sample_weight=sw, zero_division=0),
        "recall": skm.recall_score(y, pred, sample_weight=sw, zero_division=0),
        "specificity": skm.recall_score(y, pred, pos_label=0, sample_weight=sw,
                                        zero_division=0),
        "f1": skm.f1_score(y, pred, sample_weight=sw, zero_division=0),
        "fbeta": skm.fbeta_score(y, pred, beta=beta, sample_weight=sw, zero_division=0),
        "mcc": skm.matthews_corrcoef(y, pred, sample_weight=sw),
        "support": float(np.sum(w * y)),
        "prevalence": float(np.sum(w * y) / np.sum(w)),
    }
    cm = skm.confusion_matrix(y, pred, labels=[0, 1], sample_weight=sw)
    out["confusion_matrix"] = {"tn": cm[0, 0], "fp": cm[0, 1], "fn": cm[1, 0], "tp": cm[1, 1]}
    if s is not None:
        try:
            out["roc_auc"] = skm.roc_auc_score(y, s, sample_weight=sw)
        except ValueError:
            out["roc_auc"] = None
        out["average_precision"] = skm.average_precision_score(y, s, sample_weight=sw)
        out["log_loss"] = skm.log_loss(y, s, sample_weight=sw, labels=[0, 1])
        out["brier"] = skm.brier_score_loss(y, s, sample_weight=sw, pos_label=1)
        out["ece"] = ece(y, s, w)
    return out


def check_binary(case, y, s, w=None, pred=None, group=None, extra=(), threshold=0.5,
                 beta=1.0, labels=("0", "1")):
    cols = {"label": [labels[v] for v in y]}
    args = ["--predictions", case + ".csv"]
    if s is not None:
        cols["score"] = s
        args += ["--score", "score"]
        pred = (s >= threshold).astype(int)
    else:
        cols["pred"] = [labels[v] for v in pred]
        args += ["--pred", "pred"]
    wt = np.ones(len(y)) if w is None else w
    if w is not None:
        cols["w"] = w
        args += ["--weight", "w"]
    if group is not None:
        cols["g"] = group
        args += ["--group", "g"]
    write_csv(case + ".csv", cols)
    got, _ = run(args + list(extra))
    want = binary_expect(y, s, pred, wt, beta)
    cmw = want.pop("confusion_matrix")
    compare(case, got, want)
    compare(case, got["confusion_matrix"], cmw, "confusion_matrix.")
    if got["rows"] != len(y):
        fail("%s: rows %r" % (case, got["rows"]))
    if group is not None:
        check_groups(case, got, y, s, pred, wt, np.array(group), beta)
    print("ok %s (%d rows)" % (case, len(y)))


def check_groups(case, got, y, s, pred, w, g, beta):
    """by_group against sklearn on each group's rows; fairness against the
    Fairlearn definitions (docs/evaluate.md)."""
    rates = {}
    for v in sorted(set(g)):
        m = g == v
        want = binary_expect(y[m], None if s is None else s[m], pred[m], w[m], beta)
        want.pop("confusion_matrix")
        tp = np.sum(w[m] * ((y[m] == 1) & (pred[m] == 1)))
        fn = np.sum(w[m] * ((y[m] == 1) & (pred[m] == 0)))
        fp = np.sum(w[m] * ((y[m] == 0) & (pred[m] == 1)))
        tn = np.sum(w[m] * ((y[m] == 0) & (pred[m] == 0)))
        sel = np.sum(w[m] * pred[m]) / np.sum(w[m])
        # Fairlearn: confusion_matrix(normalize="true") with nan_to_num: 0 when undefined
        tpr = tp / (tp + fn) if tp + fn > 0 else 0.0
        fpr = fp / (fp + tn) if fp + tn > 0 else 0.0
        want.update({"selection_rate": sel, "tpr": tpr, "fpr": fpr, "rows": int(m.sum())})
        rates[v] = (sel, tpr, fpr)
        compare(case, got["by_group"]["g"][v], want, "by_group.g.%s." % v)
    f = got["fairness"]["g"]
    sel = [r[0] for r in rates.values()]
    tpr = [r[1] for r in rates.values()]
    fpr = [r[2] for r in rates.values()]
    want = {
        "demographic_parity_difference": max(sel) - min(sel),
        "demographic_parity_ratio": min(sel) / max(sel) if max(sel) > 0 else None,
        "equalized_odds_difference": max(max(tpr) - min(tpr), max(fpr) - min(fpr)),
        "equalized_odds_ratio": (min(min(tpr) / max(tpr), min(fpr) / max(fpr))
                                 if max(tpr) > 0 and max(fpr) > 0 else None),
        "tpr_difference": max(tpr) - min(tpr),
        "fpr_difference": max(fpr) - min(fpr),
    }
    compare(case, f, want, "fairness.g.")
    keys = sorted(rates)
    worst = {
        "selection_rate": min(keys, key=lambda k: rates[k][0]),
        "tpr": min(keys, key=lambda k: rates[k][1]),
        "fpr": max(keys, key=lambda k: rates[k][2]),
    }
    for rate, grp in worst.items():
        if list(f["worst"][rate]) != [grp]:
            fail("%s: fairness.g.worst.%s names %s, want %s" % (case, rate, list(f["worst"][rate]), grp))


def binary():
    n = 2000
    y = RNG.integers(0, 2, n)
    s = np.clip(RNG.normal(0.35 + 0.3 * y, 0.2), 0, 1)
    check_binary("balanced", y, s)
    y = (RNG.random(3000) < 0.05).astype(int)
    s = RNG.beta(1 + 3 * y, 4)
    check_binary("imbalanced", y, s)
    # ties: one decimal, so many rows share a score, some on the threshold and
    # on the calibration bin edges
    y = RNG.integers(0, 2, 1500)
    s = np.round(np.clip(RNG.normal(0.4 + 0.2 * y, 0.25), 0, 1), 1)
    check_binary("ties", y, s)
    w = RNG.choice([0.0, 0.5, 1.0, 2.5, 3.0], 1500)
    check_binary("ties-weighted", y, s, w=w)
    w = RNG.random(1500) * 3
    check_binary("weighted", y, RNG.random(1500), w=w, extra=["--threshold", "0.3", "--beta", "2"],
                 threshold=0.3, beta=2.0)
    # scores on the calibration bin edges (i * 0.1, as numpy.linspace makes
    # them) and next to them (round(x, 1)), labels independent of them
    y = RNG.integers(0, 2, 1000)
    s = np.where(RNG.random(1000) < 0.5, RNG.integers(0, 11, 1000) * 0.1,
                 np.round(RNG.integers(0, 11, 1000) * 0.1, 1))
    check_binary("bin-edges", y, s)
    # an edge belongs to the bin below it: positives on the edges, negatives
    # just above them, so the two bins' errors have opposite signs
    k = RNG.integers(1, 10, 800)
    y = (RNG.random(800) < 0.5).astype(int)
    s = np.where(y == 1, k * 0.1, k * 0.1 + 0.01)
    check_binary("bin-edges-signs", y, s)
    # scores at exactly 0 and 1 (log loss clipping)
    y = RNG.integers(0, 2, 200)
    s = np.where(RNG.random(200) < 0.3, y.astype(float), RNG.random(200))
    s[:5] = 1 - y[:5]
    check_binary("extremes", y, s)
    # one class only: ROC AUC undefined (sklearn raises); the rest as sklearn
    y = np.zeros(100, dtype=int)
    check_binary("all-negative", y, RNG.random(100))
    check_binary("all-positive", np.ones(100, dtype=int), RNG.random(100))
    # predicted labels, string classes
    y = RNG.integers(0, 2, 500)
    pred = np.where(RNG.random(500) < 0.8, y, 1 - y)
    check_binary("pred-labels", y, None, pred=pred, labels=("no", "yes"),
                 extra=["--positive", "yes"])
    pred = np.zeros(500, dtype=int)
    check_binary("pred-none-positive", y, None, pred=pred)
    # groups: one large, one small, one single-class
    n = 1200
    y = RNG.integers(0, 2, n)
    s = np.clip(RNG.normal(0.4 + 0.25 * y, 0.2), 0, 1)
    g = RNG.choice(["a", "b", "c"], n, p=[0.6, 0.38, 0.02]).astype(object)
    g[y == 0] = np.where(g[y == 0] == "c", "b", g[y == 0])  # c: positives only
    check_binary("groups", y, s, group=list(g))
    check_binary("groups-weighted", y, s, w=RNG.random(n) * 2, group=list(g))


if TASK == "binary":
    binary()
else:
    fail("unknown task " + TASK)
print("%d values match scikit-learn" % checked)
