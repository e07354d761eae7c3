#!/bin/sh
# bench/evaluate/run.sh XPSHIP — `xpship evaluate` on ROWS (default 10,000,000)
# binary predictions in CSV (label, score, a group column of 4 values; made
# here with a fixed seed): every binary metric overall and per group, side by
# side with the peer a Python user would write, pandas.read_csv +
# sklearn.metrics computing the same set (overall and per group, ECE as
# docs/evaluate.md defines it). Then BOOT_ROWS (default 1,000,000) rows with
# --bootstrap 1000 on two threads, reported (no peer offers it).
#
# Targets: xpship at least 10x faster end to end, in CPU time (user + sys:
# other jobs on the machine do not change it; wall time is printed too), and
# a peak RSS of at most 256 MiB. Both results must agree (accuracy and ROC AUC
# to 1e-9).
set -u
bin=$1
rows=${ROWS:-10000000}
boot_rows=${BOOT_ROWS:-1000000}
benchdir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/xpship-bench-evaluate.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

PYTHONPATH=$benchdir /usr/bin/python3 - "$bin" "$rows" "$boot_rows" <<'PY'
import json, subprocess, sys, time
import numpy as np

xp, rows, boot_rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(1)
with open("p.csv", "w") as f:
    f.write("label,score,group\n")
    step = 1_000_000
    for i in range(0, rows, step):
        k = min(step, rows - i)
        y = rng.integers(0, 2, k)
        s = np.clip(rng.normal(0.4 + 0.2 * y, 0.2), 0, 1)
        g = rng.integers(0, 4, k)
        f.write("".join("%d,%r,g%d\n" % t for t in zip(y.tolist(), s.tolist(), g.tolist())))
with open("p.csv") as src, open("boot.csv", "w") as dst:
    for i, line in enumerate(src):
        if i > boot_rows:
            break
        dst.write(line)

PEER = r'''
import json, sys
import numpy as np, pandas as pd
from sklearn import metrics as skm
df = pd.read_csv(sys.argv[1])
def ece(y, s):
    ids = np.searchsorted(np.linspace(0, 1, 11)[1:-1], s)
    return sum(abs(y[ids == b].sum() - s[ids == b].sum()) for b in range(10)) / len(y)
def binary(y, s):
    p = (s >= 0.5).astype(int)
    return {
        "accuracy": skm.accuracy_score(y, p),
        "balanced_accuracy": skm.balanced_accuracy_score(y, p),
        "precision": skm.precision_score(y, p, zero_division=0),
        "recall": skm.recall_score(y, p, zero_division=0),
        "specificity": skm.recall_score(y, p, pos_label=0, zero_division=0),
        "f1": skm.f1_score(y, p, zero_division=0),
        "mcc": skm.matthews_corrcoef(y, p),
        "roc_auc": skm.roc_auc_score(y, s),
        "average_precision": skm.average_precision_score(y, s),
        "log_loss": skm.log_loss(y, s, labels=[0, 1]),
        "brier": skm.brier_score_loss(y, s, pos_label=1),
        "ece": ece(y, s),
        "confusion_matrix": skm.confusion_matrix(y, p, labels=[0, 1]).tolist(),
    }
res = binary(df["label"].to_numpy(), df["score"].to_numpy())
res["by_group"] = {g: binary(d["label"].to_numpy(), d["score"].to_numpy())
                   for g, d in df.groupby("group")}
json.dump(res, open("peer.json", "w"))
'''
open("peer.py", "w").write(PEER)

from measure import measure  # bench/measure.py

xcmd = [xp, "evaluate", "-p", "p.csv", "--score", "score", "--group", "group", "-o", "xp.json"]
xw, xc, xm = measure(xcmd)
pw, pc, pm = measure(["/usr/bin/python3", "peer.py", "p.csv"])
ours, peer = json.load(open("xp.json")), json.load(open("peer.json"))
for k in ("accuracy", "roc_auc", "log_loss", "ece"):
    if abs(ours[k] - peer[k]) > 1e-9 * abs(peer[k]):
        sys.exit("results differ: %s %r vs %r" % (k, ours[k], peer[k]))
    if abs(ours["by_group"]["group"]["g2"][k] - peer["by_group"]["g2"][k]) > 1e-9 * abs(peer["by_group"]["g2"][k]):
        sys.exit("per-group results differ: %s" % k)
bw, bc, bm = measure([xp, "evaluate", "-p", "boot.csv", "--score", "score",
                      "--bootstrap", "1000", "--seed", "1", "-o", "boot.json"])

size = __import__("os").path.getsize("p.csv")
print("input: %d rows of binary predictions, 4 groups (%.0f MB of CSV)" % (rows, size / 1e6))
print("%-46s %9s %9s %10s" % ("", "wall s", "CPU s", "peak MiB"))
print("%-46s %9.2f %9.2f %10.0f" % ("xpship evaluate (all binary metrics, by group)", xw, xc, xm))
print("%-46s %9.2f %9.2f %10.0f" % ("pandas.read_csv + sklearn.metrics (same set)", pw, pc, pm))
print("ratio (peer / xpship): %.1fx CPU, %.1fx wall, %.1fx memory" % (pc / xc, pw / xw, pm / xm))
print("xpship evaluate --bootstrap 1000, %d rows, 2 threads: %.2f s wall, %.2f s CPU, %.0f MiB"
      % (boot_rows, bw, bc, bm))
ok = True
if pc / xc < 10:
    print("FAIL: less than 10x faster than the peer in CPU time")
    ok = False
if xm > 256:
    print("FAIL: peak RSS %.0f MiB above 256 MiB" % xm)
    ok = False
sys.exit(0 if ok else 1)
PY
