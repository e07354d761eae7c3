"""drift_oracle.py — check `xpship drift` and `xpship profile` against scipy/numpy.

    /usr/bin/python3 drift_oracle.py XPSHIP drift|profile|merge

drift: generated reference/current pairs (normal, shifted, heavy-tailed,
constant, all-missing, ties, a single row, unseen categories, samples large
enough for the asymptotic KS p-value and sizes that differ), written as CSV;
`xpship drift -o` is compared with the definitions of docs/drift.md computed
here: PSI written out on numpy.quantile bins, scipy.spatial.distance.
jensenshannon(base=2), scipy.stats.ks_2samp (method='auto'),
scipy.stats.wasserstein_distance, scipy.stats.chi2_contingency(correction=
False). Statistics to 1e-9 relative, p-values to 1e-6 (relative, or 1e-12
absolute below that).
profile: count, missing, min, max, mean, std (ddof=1) against numpy; the
histogram edges equal numpy.quantile while the sketch is exact, else each
edge's rank within the KLL bound (2% of n); top-K counts exact.
merge: merge(profile(A), profile(B)) against profile(A+B): counts, min, max
exact, mean and std to 1e-12, edges within the bound, top-K exact while the
categories fit, the sample drawn from both parts.
Prints one line per case and exits 1 on the first mismatch.
"""
import json
import math
import os
import subprocess
import sys
import warnings

import numpy as np
from scipy import stats
from scipy.spatial import distance

warnings.simplefilter("ignore")
XP = sys.argv[1]
MODE = sys.argv[2]
RNG = np.random.default_rng(20261206)
EPS = 1e-4
checked = 0


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def close(a, b, rel=1e-9, abs_=1e-12):
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def write_csv(path, cols):
    names = list(cols)
    n = len(cols[names[0]])
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for i in range(n):
            f.write(",".join(fmt(cols[c][i]) for c in names) + "\n")


def xp(args):
    p = subprocess.run([XP] + args, capture_output=True, text=True)
    if p.returncode != 0:
        fail("xpship %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p


def present(col):
    return [v for v in col if not (v is None or (isinstance(v, float) and math.isnan(v)))]


def psi(rc, cc):
    p = rc / rc.sum()
    q = cc / cc.sum()
    p = np.where(p == 0, EPS, p)
    q = np.where(q == 0, EPS, q)
    return float(np.sum((q - p) * np.log(q / p)))


def numeric_want(ref, cur, bins=10):
    r = np.sort(np.array(present(ref), dtype=float))
    c = np.sort(np.array(present(cur), dtype=float))
    want = {}
    if len(r) == 0 or len(c) == 0:
        return want, (len(r) == 0) != (len(c) == 0), None
    edges = np.unique(np.quantile(r, np.arange(1, bins) / bins))
    rc = np.bincount(np.searchsorted(edges, r, side="right"), minlength=len(edges) + 1)
    cc = np.bincount(np.searchsorted(edges, c, side="right"), minlength=len(edges) + 1)
    want["psi"] = psi(rc.astype(float), cc.astype(float))
    want["js"] = float(distance.jensenshannon(rc, cc, base=2))
    ks = stats.ks_2samp(r, c, method="auto")
    want["ks"] = float(ks.statistic)
    want["ks_p_value"] = float(ks.pvalue)
    want["wasserstein"] = float(stats.wasserstein_distance(r, c))
    oor = float(np.mean((c < r.min()) | (c > r.max())))
    return want, None, ("ks_p_value", ks.pvalue, oor)


def categorical_want(ref, cur):
    r = present(ref)
    c = present(cur)
    want = {}
    if not r or not c:
        return want, (not r) != (not c), None
    cats = sorted(set(r) | set(c))
    table = np.array([[r.count(k) for k in cats], [c.count(k) for k in cats]], dtype=float)
    if len(cats) > 1:
        chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    else:
        chi2, p = 0.0, 1.0
    want["chi2"] = float(chi2)
    want["chi2_p_value"] = float(p)
    want["psi"] = psi(table[0], table[1])
    want["js"] = float(distance.jensenshannon(table[0], table[1], base=2))
    new = len(set(c) - set(r))
    return want, None, ("chi2_p_value", p, new)


def check_drift(case, ref, cur, categorical=()):
    global checked
    write_csv("ref.csv", ref)
    write_csv("cur.csv", cur)
    args = ["drift", "-r", "ref.csv", "-c", "cur.csv", "-o", "m.json"]
    if categorical:
        args += ["--categorical", ",".join(categorical)]
    xp(args)
    with open("m.json") as f:
        got = json.load(f)
    pvals = {}
    forced = {}
    for name in ref:
        if name in categorical:
            want, force, extra = categorical_want(ref[name], cur[name])
        else:
            want, force, extra = numeric_want(ref[name], cur[name])
        g = got["drift"][name]
        for k, v in want.items():
            if k not in g:
                fail("%s: drift.%s.%s missing (want %r)" % (case, name, k, v))
            if k.endswith("p_value"):
                ok = close(g[k], v, rel=1e-6, abs_=1e-12)
            else:
                ok = close(g[k], v)
            if not ok:
                fail("%s: drift.%s.%s = %r, scipy %r" % (case, name, k, g[k], v))
            checked += 1
        for k in ("psi", "ks", "ks_p_value", "js", "wasserstein", "chi2", "chi2_p_value"):
            if k in g and k not in want:
                fail("%s: drift.%s.%s should be absent, got %r" % (case, name, k, g[k]))
        q = got["quality"][name]
        n_ref, n_cur = len(ref[name]), len(cur[name])
        mr = (n_ref - len(present(ref[name]))) / n_ref
        mc = (n_cur - len(present(cur[name]))) / n_cur
        if not close(q["missing_share_reference"], mr) or not close(q["missing_share_current"], mc):
            fail("%s: quality.%s missing shares %r" % (case, name, q))
        if extra is not None:
            pvals[name] = (want["psi"], extra[1])
            if name in categorical:
                if q.get("new_categories") != extra[2]:
                    fail("%s: quality.%s.new_categories = %r, want %r" % (case, name, q.get("new_categories"), extra[2]))
            elif not close(q["out_of_range_share"], extra[2]):
                fail("%s: quality.%s.out_of_range_share = %r, want %r" % (case, name, q["out_of_range_share"], extra[2]))
        else:
            forced[name] = force
        checked += 2
    # the default rule: PSI > 0.2 or p < 0.05 / tested, or values on one side only
    cut = 0.05 / max(1, len(pvals))
    ndrift = 0
    for name in ref:
        want = forced[name] if name in forced else (pvals[name][0] > 0.2 or pvals[name][1] < cut)
        if got["drift"][name]["drifted"] != int(want):
            fail("%s: drift.%s.drifted = %r, want %r" % (case, name, got["drift"][name]["drifted"], want))
        ndrift += int(want)
    if got["drift"]["drifted_columns"] != ndrift or not close(got["drift"]["share_drifted"], ndrift / len(ref)):
        fail("%s: summary %r, want %d drifted" % (case, got["drift"], ndrift))
    print("ok %s (%d/%d rows, %d drifted)" % (case, len(next(iter(ref.values()))), len(next(iter(cur.values()))), ndrift))


def with_missing(x, share):
    x = list(x)
    for i in range(len(x)):
        if RNG.random() < share:
            x[i] = None
    return x


def drift_cases():
    n = 1500
    check_drift("normal", {"x": RNG.normal(0, 1, n), "y": RNG.normal(5, 2, n)},
                {"x": RNG.normal(0, 1, 1200), "y": RNG.normal(5, 2, 1200)})
    check_drift("shifted", {"x": RNG.normal(0, 1, n), "y": RNG.normal(5, 2, n)},
                {"x": RNG.normal(0.5, 1, 1000), "y": RNG.normal(5, 3, 1000)})
    check_drift("heavy-tailed", {"t": RNG.standard_t(1.5, n), "c": RNG.standard_cauchy(n)},
                {"t": RNG.standard_t(1.5, 900), "c": RNG.standard_cauchy(900) * 1.3})
    check_drift("constant", {"k": np.full(200, 3.0), "x": RNG.normal(0, 1, 200)},
                {"k": np.full(150, 3.0), "x": RNG.normal(0, 1, 150)})
    check_drift("constant-vs-moved", {"k": np.full(200, 3.0)}, {"k": np.full(150, 4.0)})
    check_drift("all-missing", {"m": [None] * 100, "x": RNG.normal(0, 1, 100)},
                {"m": [None] * 80, "x": RNG.normal(0, 1, 80)})
    check_drift("missing-on-one-side", {"m": RNG.normal(0, 1, 100), "k": np.ones(100)},
                {"m": [None] * 80, "k": np.ones(80)})
    check_drift("some-missing", {"x": with_missing(RNG.normal(0, 1, 800), 0.1), "k": np.ones(800)},
                {"x": with_missing(RNG.normal(0, 1, 700), 0.3), "k": np.ones(700)})
    check_drift("ties", {"r": np.round(RNG.normal(0, 2, n)), "i": RNG.integers(0, 5, n)},
                {"r": np.round(RNG.normal(0.2, 2, 1100)), "i": RNG.integers(0, 6, 1100)})
    check_drift("single-row", {"x": [1.5]}, {"x": [2.5]})
    check_drift("single-row-current", {"x": RNG.normal(0, 1, 50)}, {"x": [0.1]})
    check_drift("equal-sizes", {"x": RNG.normal(0, 1, 500)}, {"x": RNG.normal(0.1, 1, 500)})
    check_drift("coprime-sizes", {"x": RNG.normal(0, 1, 997)}, {"x": RNG.normal(0.05, 1, 1009)})
    check_drift("out-of-range", {"x": RNG.uniform(0, 1, 600)}, {"x": RNG.uniform(0.5, 1.5, 600)})
    cats = ["a", "b", "c", "d"]
    check_drift("categorical", {"c": RNG.choice(cats, n, p=[0.4, 0.3, 0.2, 0.1])},
                {"c": RNG.choice(cats, 1000, p=[0.4, 0.3, 0.2, 0.1])}, categorical=("c",))
    check_drift("categorical-shifted", {"c": RNG.choice(cats, n, p=[0.4, 0.3, 0.2, 0.1])},
                {"c": RNG.choice(cats, 1000, p=[0.25, 0.25, 0.25, 0.25])}, categorical=("c",))
    check_drift("unseen-categories", {"c": RNG.choice(cats, n)},
                {"c": RNG.choice(cats + ["e", "f"], 1000)}, categorical=("c",))
    check_drift("one-category", {"c": ["a"] * 100}, {"c": ["a"] * 90}, categorical=("c",))
    check_drift("two-categories", {"c": RNG.choice(["a", "b"], 300)},
                {"c": RNG.choice(["a", "b"], 200, p=[0.6, 0.4])}, categorical=("c",))
    check_drift("mixed", {"x": RNG.normal(0, 1, 900), "c": RNG.choice(cats, 900)},
                {"x": RNG.normal(0, 1.1, 800), "c": RNG.choice(cats, 800)}, categorical=("c",))
    # asymptotic KS p-values: more than 10000 values on a side
    check_drift("large", {"x": RNG.normal(0, 1, 20000), "y": RNG.exponential(1, 20000)},
                {"x": RNG.normal(0.01, 1, 15000), "y": RNG.exponential(1.02, 15000)})
    check_drift("large-vs-small", {"x": RNG.normal(0, 1, 12000)}, {"x": RNG.normal(0, 1, 60)})
    check_drift("large-vs-tiny", {"x": RNG.normal(0, 1, 10001)}, {"x": RNG.normal(0.3, 1, 7)})
    print("%d values match scipy" % checked)


def profile_of(paths, extra=()):
    xp(["profile", "-o", "p.json"] + list(extra) + list(paths))
    with open("p.json") as f:
        return json.load(f)


def edge_ranks_ok(case, name, edges, values, bins):
    v = np.sort(values)
    n = len(v)
    for e in edges:
        # an edge is a quantile i/bins of the sketch (duplicates removed): some
        # i/bins lies within 2% of n of the values at or below it (ties: the
        # ranks from the first to the last copy of the edge)
        lo = np.searchsorted(v, e, side="left") / n
        hi = np.searchsorted(v, e, side="right") / n
        if not any(lo - 0.02 <= j / bins <= hi + 0.02 for j in range(1, bins)):
            fail("%s: %s edge %r has ranks %.4f..%.4f, no quantile within 2%%" % (case, name, e, lo, hi))


def check_profile_cols(case, got, cols, n_rows):
    global checked
    if got["rows"] != n_rows:
        fail("%s: rows %r, want %r" % (case, got["rows"], n_rows))
    for name, col in cols.items():
        g = got["columns"][name]
        vals = present(col)
        if g["count"] != len(vals) or g["missing"] != len(col) - len(vals):
            fail("%s: %s count/missing %r/%r" % (case, name, g["count"], g["missing"]))
        if g["type"] == "categorical":
            counts = {}
            for v in vals:
                counts[str(v)] = counts.get(str(v), 0) + 1
            top = {k: c for k, c in g["top"]}
            if len(counts) <= 50 and top != counts:
                fail("%s: %s top %r, want %r" % (case, name, top, counts))
            checked += 1
            continue
        a = np.array(vals, dtype=float)
        want = {"min": a.min(), "max": a.max(), "mean": a.mean()}
        if len(a) > 1:
            want["std"] = a.std(ddof=1)
        for k, v in want.items():
            if not close(g[k], float(v), rel=1e-9, abs_=1e-12):
                fail("%s: %s.%s = %r, numpy %r" % (case, name, k, g[k], float(v)))
            checked += 1
        edges = g["histogram"]["edges"]
        if g["sketch"]["exact"]:
            want_e = list(np.unique(np.quantile(a, np.arange(1, 10) / 10)))
            if len(edges) != len(want_e) or not all(close(x, y) for x, y in zip(edges, want_e)):
                fail("%s: %s edges %r, numpy %r" % (case, name, edges, want_e))
            rc = np.bincount(np.searchsorted(np.array(want_e), a, side="right"), minlength=len(want_e) + 1)
            if list(rc) != [int(x) for x in g["histogram"]["counts"]]:
                fail("%s: %s histogram %r, want %r" % (case, name, g["histogram"]["counts"], list(rc)))
        else:
            edge_ranks_ok(case, name, edges, a, 10)
            if abs(sum(g["histogram"]["counts"]) - len(a)) > 0:
                fail("%s: %s histogram counts sum %r" % (case, name, sum(g["histogram"]["counts"])))
        checked += 1


def profile_cases():
    for n in (1, 150, 5000, 60000):
        cols = {"x": RNG.normal(3, 2, n), "t": RNG.standard_t(2, n), "r": np.round(RNG.normal(0, 3, n)),
                "m": with_missing(RNG.uniform(0, 1, n), 0.2),
                "c": RNG.choice(["a", "b", "c", "d"], n)}
        write_csv("d.csv", cols)
        got = profile_of(["d.csv"])
        check_profile_cols("profile-%d" % n, got, cols, n)
        print("ok profile %d rows" % n)
    print("%d values match numpy" % checked)


def merge_cases():
    global checked
    for (na, nb, sample) in ((100, 50, 0), (3000, 7000, 500), (40000, 25000, 1000)):
        a = {"x": RNG.normal(0, 1, na), "c": RNG.choice(["a", "b", "c"], na),
             "m": with_missing(RNG.exponential(1, na), 0.1)}
        b = {"x": RNG.normal(1, 2, nb), "c": RNG.choice(["a", "b", "c", "d"], nb),
             "m": with_missing(RNG.exponential(1, nb), 0.5)}
        write_csv("a.csv", a)
        write_csv("b.csv", b)
        extra = ["--sample", str(sample)] if sample else []
        xp(["profile", "-o", "pa.json"] + extra + ["a.csv"])
        xp(["profile", "-o", "pb.json"] + extra + ["b.csv"])
        xp(["profile", "merge", "-o", "pm.json", "pa.json", "pb.json"])
        whole = profile_of(["a.csv", "b.csv"], extra)
        with open("pm.json") as f:
            merged = json.load(f)
        allc = {k: list(a[k]) + list(b[k]) for k in a}
        check_profile_cols("merge-%d+%d" % (na, nb), merged, allc, na + nb)
        for name in ("x", "m"):
            g, w = merged["columns"][name], whole["columns"][name]
            for k in ("count", "missing", "min", "max"):
                if g[k] != w[k]:
                    fail("merge: %s.%s = %r, whole %r" % (name, k, g[k], w[k]))
            for k in ("mean", "std"):
                if not close(g[k], w[k], rel=1e-12):
                    fail("merge: %s.%s = %r, whole %r" % (name, k, g[k], w[k]))
            if sample:
                s = g["sample"]
                pool = set(float(v) for v in present(allc[name]))
                if len(s) != sample or not all(v in pool for v in s):
                    fail("merge: %s sample of %d values not drawn from the parts" % (name, len(s)))
                from_a = sum(1 for v in s if v in set(float(x) for x in present(a[name])))
                share = len(present(a[name])) / len(pool)
                if abs(from_a / sample - share) > 0.1:
                    fail("merge: %s sample takes %d of %d from A, expected share %.2f" % (name, from_a, sample, share))
            checked += 6
        if merged["columns"]["c"]["top"] != whole["columns"]["c"]["top"]:
            fail("merge: c top %r, whole %r" % (merged["columns"]["c"]["top"], whole["columns"]["c"]["top"]))
        print("ok merge %d+%d rows (sample %d)" % (na, nb, sample))
    print("%d values match the whole's profile" % checked)


{"drift": drift_cases, "profile": profile_cases, "merge": merge_cases}[MODE]()
