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


def check_multiclass(case, y, S=None, pred=None, w=None, classes=None, group=None):
    k = S.shape[1] if S is not None else len(classes)
    names = classes or [str(c) for c in range(k)]
    cols = {"label": [names[v] for v in y]}
    args = ["--predictions", case + ".csv", "--task", "multiclass"]
    if S is not None:
        for c in range(k):
            cols["p%d" % c] = S[:, c]
        args += ["--scores", ",".join("p%d" % c for c in range(k))]
        pred = np.argmax(S, axis=1)
    else:
        cols["pred"] = [names[v] for v in pred]
        args += ["--pred", "pred"]
    if classes:
        args += ["--classes", ",".join(classes)]
    wt = np.ones(len(y)) if w is None else w
    if w is not None:
        cols["w"] = w
        args += ["--weight", "w"]
    if group is not None:
        cols["g"] = group
        args += ["--group", "g"]
    write_csv(case + ".csv", cols)
    got, _ = run(args)
    check_multi_values(case, got, y, S, pred, wt, k, names, "")
    if group is not None:
        g = np.array(group)
        per = {}
        for v in sorted(set(group)):
            m = g == v
            per[v] = check_multi_values(case, got["by_group"]["g"][v], y[m],
                                        None if S is None else S[m], pred[m], wt[m], k,
                                        names, "by_group.g.%s." % v)
        check_task_fairness(case, got, per, MC_FAIR)
    print("ok %s (%d rows)" % (case, len(y)))


# (metric, lower is better, ratio written): docs/evaluate.md, "Other tasks"
MC_FAIR = [("accuracy", 0, 1), ("balanced_accuracy", 0, 1), ("precision_macro", 0, 1),
           ("recall_macro", 0, 1), ("f1_macro", 0, 1), ("roc_auc", 0, 1), ("log_loss", 1, 1)]
REG_FAIR = [("mae", 1, 1), ("mse", 1, 1), ("rmse", 1, 1), ("mape", 1, 1), ("median_ae", 1, 1),
            ("max_error", 1, 1), ("r2", 0, 0), ("explained_variance", 0, 0)]


def check_task_fairness(case, got, per, table):
    """Fairlearn's MetricFrame.difference / .ratio (between_groups) of each
    metric over the groups' sklearn values, and the worst group."""
    f = got["fairness"]["g"]
    want = {}
    for name, lower, ratio in table:
        vals = {v: per[v].get(name) for v in per}
        if any(x is None or (isinstance(x, float) and math.isnan(x)) for x in vals.values()):
            want[name + "_difference"] = None
            continue
        lo, hi = min(vals.values()), max(vals.values())
        want[name + "_difference"] = hi - lo
        if ratio and hi > 0:
            want[name + "_ratio"] = lo / hi
        keys = sorted(vals)
        worst = (max if lower else min)(keys, key=lambda k: vals[k])
        if list(f["worst"][name]) != [worst]:
            fail("%s: fairness.g.worst.%s names %s, want %s" % (case, name, list(f["worst"][name]), worst))
        compare(case, f["worst"][name], {worst: vals[worst]}, "fairness.g.worst.%s." % name)
    compare(case, f, want, "fairness.g.")


def check_multi_values(case, got, y, S, pred, w, k, names, prefix):
    labels = list(range(k))
    want = {"accuracy": skm.accuracy_score(y, pred, sample_weight=w),
            "balanced_accuracy": skm.balanced_accuracy_score(y, pred, sample_weight=w),
            "mcc": skm.matthews_corrcoef(y, pred, sample_weight=w)}
    for avg in ("macro", "micro", "weighted"):
        p, r, f, _ = skm.precision_recall_fscore_support(
            y, pred, labels=labels, average=avg, sample_weight=w, zero_division=0)
        want.update({"precision_" + avg: p, "recall_" + avg: r, "f1_" + avg: f})
    if S is not None:
        want["log_loss"] = skm.log_loss(y, S, labels=labels, sample_weight=w)
        try:
            want["roc_auc"] = skm.roc_auc_score(y, S, multi_class="ovr", average="macro",
                                                labels=labels, sample_weight=w)
        except ValueError:
            want["roc_auc"] = None
    compare(case, got, want, prefix)
    result = dict(want)
    p, r, f, sup = skm.precision_recall_fscore_support(
        y, pred, labels=labels, average=None, sample_weight=w, zero_division=0)
    cm = skm.confusion_matrix(y, pred, labels=labels, sample_weight=w)
    for c in range(k):
        compare(case, got["by_class"][names[c]],
                {"precision": p[c], "recall": r[c], "f1": f[c], "support": sup[c]},
                prefix + "by_class.%s." % names[c])
        compare(case, got["confusion_matrix"][names[c]],
                {names[j]: cm[c, j] for j in range(k)},
                prefix + "confusion_matrix.%s." % names[c])
    return result


def probs(n, k, y, sharp):
    logits = RNG.normal(0, 1, (n, k))
    logits[np.arange(n), y] += sharp
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def multiclass():
    n = 1500
    y = RNG.integers(0, 3, n)
    check_multiclass("mc-balanced", y, S=probs(n, 3, y, 1.5))
    y = RNG.choice(5, 2000, p=[0.6, 0.2, 0.1, 0.07, 0.03])
    check_multiclass("mc-imbalanced-weighted", y, S=probs(2000, 5, y, 1.0),
                     w=RNG.choice([0.0, 0.5, 1.0, 2.0], 2000))
    # ties: probabilities on a coarse grid, argmax ties go to the first class
    y = RNG.integers(0, 3, 900)
    base = RNG.integers(0, 4, (900, 3)).astype(float) + 1
    check_multiclass("mc-ties", y, S=base / base.sum(axis=1, keepdims=True))
    # a class absent from the labels: ROC AUC undefined (sklearn raises)
    y = RNG.integers(0, 2, 300)
    check_multiclass("mc-absent-class", y, S=probs(300, 3, y, 1.0))
    # predicted labels with named classes, groups
    y = RNG.integers(0, 3, 800)
    pred = np.where(RNG.random(800) < 0.7, y, RNG.integers(0, 3, 800))
    check_multiclass("mc-pred-named", y, pred=pred, classes=["cat", "dog", "eel"],
                     group=list(RNG.choice(["x", "y"], 800)))
    # scores and weights by group, a small group missing a class (its ROC AUC
    # is undefined, and so is the disparity)
    y = RNG.integers(0, 3, 1200)
    g = RNG.choice(["p", "q", "r"], 1200, p=[0.5, 0.45, 0.05]).astype(object)
    check_multiclass("mc-groups-scores", y, S=probs(1200, 3, y, 1.2),
                     w=RNG.random(1200) * 2, classes=["a", "b", "c"], group=list(g))
    g[(g == "r") & (y == 2)] = "q"
    check_multiclass("mc-groups-class-missing", y, S=probs(1200, 3, y, 1.2), group=list(g))


def check_regression(case, y, p, w=None, group=None):
    cols = {"label": y, "pred": p}
    args = ["--predictions", case + ".csv", "--task", "regression", "--pred", "pred"]
    wt = None
    if w is not None:
        cols["w"] = w
        args += ["--weight", "w"]
        wt = w
    if group is not None:
        cols["g"] = group
        args += ["--group", "g"]
    write_csv(case + ".csv", cols)
    got, _ = run(args)
    check_reg_values(case, got, y, p, wt, "")
    if group is not None:
        g = np.array(group)
        per = {}
        for v in sorted(set(group)):
            m = g == v
            per[v] = check_reg_values(case, got["by_group"]["g"][v], y[m], p[m],
                                      None if wt is None else wt[m], "by_group.g.%s." % v)
        check_task_fairness(case, got, per, REG_FAIR)
    print("ok %s (%d rows)" % (case, len(y)))


def check_reg_values(case, got, y, p, w, prefix):
    want = {
        "mae": skm.mean_absolute_error(y, p, sample_weight=w),
        "mse": skm.mean_squared_error(y, p, sample_weight=w),
        "rmse": skm.mean_squared_error(y, p, sample_weight=w, squared=False),
        "r2": skm.r2_score(y, p, sample_weight=w),
        "mape": skm.mean_absolute_percentage_error(y, p, sample_weight=w),
        "median_ae": skm.median_absolute_error(y, p, sample_weight=w),
        "explained_variance": skm.explained_variance_score(y, p, sample_weight=w),
        "max_error": skm.max_error(y, p),
    }
    compare(case, got, want, prefix)
    return want


def regression():
    n = 2001
    y = RNG.normal(10, 3, n)
    check_regression("reg-basic", y, y + RNG.normal(0, 1, n))
    y = RNG.normal(0, 1, 1000)
    y[:10] = 0.0  # zeros: MAPE's epsilon
    check_regression("reg-weighted", y, y + RNG.normal(0.2, 0.5, 1000),
                     w=RNG.choice([0.0, 0.5, 1.0, 3.0], 1000))
    y = np.round(RNG.normal(5, 2, 1000))
    check_regression("reg-even-ties", y[:1000], np.round(y[:1000] + RNG.normal(0, 1, 1000)),
                     group=list(RNG.choice(["a", "b", "c"], 1000)))
    y = RNG.normal(100, 20, 1500)
    check_regression("reg-groups-weighted", y, y + RNG.normal(0, 5, 1500) * (1 + (y > 100)),
                     w=RNG.random(1500) * 2, group=list(RNG.choice(["lo", "mid", "hi"], 1500)))
    y = np.full(50, 3.0)
    check_regression("reg-constant-truth", y, y + RNG.normal(0, 1, 50))
    check_regression("reg-perfect-constant", y, y.copy())


M64 = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return state, z ^ (z >> 31)


def replicate_counts(seed, b, n):
    """Replicate b's multiplicities, as docs/evaluate.md specifies the draw."""
    state = seed ^ ((0xD1B54A32D192ED03 * (b + 1)) & M64)
    m = np.zeros(n)
    for _ in range(n):
        state, x = splitmix64(state)
        m[int((x >> 11) * 2.0 ** -53 * n)] += 1
    return m


def boot_metrics(y, s, w, threshold=0.5):
    out = binary_expect(y, s, (s >= threshold).astype(int), w, 1.0)
    out.pop("confusion_matrix")
    out.update({
        "selection_rate": np.sum(w * (s >= threshold)) / np.sum(w),
        "tpr": out["recall"],
        "fpr": np.sum(w * ((s >= threshold) & (y == 0))) / np.sum(w * (y == 0)),
    })
    return out


def check_intervals(case, got, reps, conf):
    keys = reps[0].keys()
    for k in keys:
        vals = [r[k] for r in reps if r[k] is not None]
        if len(vals) < len(reps):
            if k in got and len(vals) == 0:
                fail("%s: %s should be absent" % (case, k))
        if not vals:
            continue
        lo, hi = np.percentile(vals, [100 * (1 - conf) / 2, 100 * (1 - (1 - conf) / 2)])
        compare(case, got[k], {"low": lo, "high": hi}, k + ".")


def bootstrap():
    from scipy import stats
    n, B, seed = 300, 40, 12345
    y = RNG.integers(0, 2, n)
    s = np.round(np.clip(RNG.normal(0.4 + 0.2 * y, 0.2), 0, 1), 2)
    sb = np.round(np.clip(s + RNG.normal(0, 0.15, n), 0, 1), 2)
    w = RNG.choice([0.5, 1.0, 2.0], n)
    write_csv("cand.csv", {"label": y, "score": s, "w": w})
    write_csv("base.csv", {"label": y, "score": sb, "w": w})
    args = ["--predictions", "cand.csv", "--score", "score", "--weight", "w",
            "--bootstrap", str(B), "--seed", str(seed), "--confidence", "0.9",
            "--baseline-predictions", "base.csv"]
    got, _ = run(args)
    reps, dreps = [], []
    for b in range(B):
        m = replicate_counts(seed, b, n)
        c = boot_metrics(y, s, w * m)
        z = boot_metrics(y, sb, w * m)
        reps.append(c)
        dreps.append({k: (None if c[k] is None or z[k] is None else c[k] - z[k]) for k in c})
    check_intervals("bootstrap", got["ci"], reps, 0.9)
    check_intervals("bootstrap", got["delta_ci"], dreps, 0.9)
    full_c, full_b = boot_metrics(y, s, w), boot_metrics(y, sb, w)
    compare("bootstrap", got["delta"], {k: full_c[k] - full_b[k] for k in full_c}, "delta.")
    a = (s >= 0.5) == y
    z = (sb >= 0.5) == y
    nb, nc = int(np.sum(a & ~z)), int(np.sum(~a & z))
    p = min(1.0, 2 * stats.binom.cdf(min(nb, nc), nb + nc, 0.5))
    compare("bootstrap", got["mcnemar"], {"candidate_only_correct": nb,
                                          "baseline_only_correct": nc, "p_value": p}, "mcnemar.")
    print("ok bootstrap (%d rows, %d replicates, b=%d c=%d)" % (n, B, nb, nc))
    # a larger McNemar table, against scipy's exact binomial test
    y = RNG.integers(0, 2, 3000)
    s = RNG.random(3000)
    sb = np.where(RNG.random(3000) < 0.9, s, RNG.random(3000))
    write_csv("cand.csv", {"label": y, "score": s})
    write_csv("base.csv", {"label": y, "score": sb})
    got, _ = run(["--predictions", "cand.csv", "--score", "score",
                  "--baseline-predictions", "base.csv"])
    a = (s >= 0.5) == y
    z = (sb >= 0.5) == y
    nb, nc = int(np.sum(a & ~z)), int(np.sum(~a & z))
    compare("mcnemar", got["mcnemar"], {
        "p_value": stats.binomtest(min(nb, nc), nb + nc, 0.5).pvalue}, "mcnemar.")
    print("ok mcnemar (b=%d c=%d)" % (nb, nc))

def check_curves(case, y, s, w=None):
    """--curves against sklearn's roc_curve (drop_intermediate=True) and
    precision_recall_curve: every point, to 1e-9."""
    global checked
    cols = {"label": list(y), "score": s}
    args = ["--predictions", case + ".csv", "--score", "score", "--curves", "c.json"]
    if w is not None:
        cols["w"] = w
        args += ["--weight", "w"]
    write_csv(case + ".csv", cols)
    if os.path.exists("c.json"):
        os.remove("c.json")
    run(args)
    with open("c.json") as f:
        got = json.load(f)
    want = {}
    if 0 < np.sum(y) < len(y) and (w is None or (np.sum(w * y) > 0 and np.sum(w * (1 - y)) > 0)):
        want["roc"] = dict(zip(("fpr", "tpr", "thresholds"), skm.roc_curve(y, s, sample_weight=w)))
    elif "roc" in got:
        fail("%s: roc written for one class" % case)
    want["precision_recall"] = dict(zip(("precision", "recall", "thresholds"),
                                        skm.precision_recall_curve(y, s, sample_weight=w)))
    for curve, arrays in want.items():
        for name, v in arrays.items():
            g = got[curve][name]
            if len(g) != len(v):
                fail("%s: %s.%s has %d points, sklearn %d" % (case, curve, name, len(g), len(v)))
            for i, (a, b) in enumerate(zip(g, v)):
                if not close(a, float(b)):
                    fail("%s: %s.%s[%d] = %r, sklearn %r" % (case, curve, name, i, a, b))
                checked += 1
    print("ok curves %s (%d rows, %d roc points)" % (case, len(y), len(got.get("roc", {}).get("fpr", []))))


def curves():
    y = RNG.integers(0, 2, 2000)
    check_curves("curves-balanced", y, np.clip(RNG.normal(0.35 + 0.3 * y, 0.2), 0, 1))
    y = RNG.integers(0, 2, 1500)
    s = np.round(np.clip(RNG.normal(0.4 + 0.2 * y, 0.25), 0, 1), 1)
    check_curves("curves-ties", y, s)
    check_curves("curves-ties-weighted", y, s, w=RNG.choice([0.0, 0.5, 1.0, 2.5], 1500))
    check_curves("curves-weighted", y, RNG.random(1500), w=RNG.random(1500) * 3)
    y = (RNG.random(3000) < 0.05).astype(int)
    check_curves("curves-imbalanced", y, RNG.beta(1 + 3 * y, 4))
    check_curves("curves-two-scores", np.array([0, 1, 0, 1]), np.array([0.2, 0.8, 0.2, 0.8]))
    check_curves("curves-all-negative", np.zeros(50, dtype=int), RNG.random(50))


if TASK == "binary":
    binary()
elif TASK == "multiclass":
    multiclass()
elif TASK == "regression":
    regression()
elif TASK == "bootstrap":
    bootstrap()
elif TASK == "curves":
    curves()
else:
    fail("unknown task " + TASK)
print("%d values match scikit-learn" % checked)
