#!/usr/bin/python3
"""drift_pin.py DIR — writes the inputs of tests/cli/740-drift-pinned.sh into DIR.

Pure Python with a fixed linear congruential generator (no numpy, no random
module), so the bytes are the same on every machine and Python version. The
tables exercise every path of the CSV reader and the number parser that
profile and drift use: short decimals (the exact fast path), 17-digit and
exponent values (strtod), integers, signs, empty (missing) fields, quoted
fields (numbers, categories with commas, doubled quotes, line feeds), CRLF
line ends, empty lines, a constant column, a categorical column with unseen
categories on the current side, more rows than one read buffer holds, a
header with a byte order mark, a file without a final line end, TSV, JSON
Lines and gzip.
"""
import gzip
import math
import os
import sys

out = sys.argv[1]
state = [20261206]


def rnd():
    """uniform in [0, 1): a 48-bit LCG (drand48's constants)"""
    state[0] = (state[0] * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
    return state[0] / float(1 << 48)


def normal():
    """Box-Muller from two uniforms"""
    u = 1.0 - rnd()
    return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * rnd())


CATS = ["alpha", "beta", "gamma", "delta", "eps,ilon", 'ze"ta', "eta", "theta",
        "iota", "kappa", "lambda", "mu"]
COLS = ["a", "b", "c", "d", "e", "cat", "k", "m"]


def row(i, shift, cats):
    a = "%.6f" % (normal() * 3 + shift)
    b = "%.17g" % (normal() * 1e-3 + shift / 10)        # strtod: 17 digits
    c = "%d" % int(rnd() * 1000 - 500)                   # integers, ties
    d = "%.3e" % (rnd() * 1e6 + shift)                   # exponents
    e = "" if rnd() < 0.1 else "%+.2f" % (normal() * 50)  # missing, signs
    cat = cats[int(rnd() ** 2 * len(cats))]
    k = "7"                                               # constant
    m = "%.4f" % (normal() ** 3 + shift)                  # heavy tails
    f = [a, b, c, d, e, cat, k, m]
    if i % 97 == 0:
        f[0] = '"%s"' % f[0]                              # a quoted number
    if any(x in cat for x in ',"'):
        f[5] = '"%s"' % cat.replace('"', '""')
    if i % 1013 == 0:
        f[5] = '"multi\nline"'                            # a line feed inside
    return ",".join(f)


def table(rows, shift, cats, crlf_every=0, empty_every=0):
    lines = []
    for i in range(rows):
        if empty_every and i % empty_every == 0:
            lines.append("")
        end = "\r\n" if crlf_every and i % crlf_every == 0 else "\n"
        lines.append(row(i, shift, cats) + end)
    return "".join(x if x else "\n" for x in lines)


def write(name, text, mode="w"):
    with open(os.path.join(out, name), mode) as f:
        f.write(text)


head = ",".join(COLS) + "\n"
ref = table(30000, 0.0, CATS, crlf_every=7, empty_every=501)
cur = table(20000, 0.4, CATS + ["nu", "xi"], crlf_every=5)
write("ref.csv", "\ufeff" + head + ref)
write("cur.csv", head + cur.rstrip("\n"))                 # no final line end
write("cur2.csv.gz", gzip.compress((head + table(3000, 1.0, CATS)).encode(), mtime=0), "wb")
tsv = ["\t".join(COLS[:5])]
for i in range(5000):
    tsv.append("\t".join(["%.6f" % normal(), "%.5f" % (normal() + 1), "%d" % (i % 13),
                          "%.2e" % rnd(), "" if i % 11 == 0 else "%.3f" % rnd()]))
write("ref.tsv", "\n".join(tsv) + "\n")
jl = []
for i in range(4000):
    jl.append('{"a": %.6f, "b": %.4f, "cat": "%s", "n": %s}' % (
        normal(), normal() * 2, CATS[i % 5], "null" if i % 9 == 0 else "%d" % (i % 17)))
write("ref.jsonl", "\n".join(jl) + "\n")
# a column whose first value comes late: its type is settled far into the
# reference (categorical there, numbers on the current side)
late = ["n,x"]
for i in range(9000):
    late.append("%.3f,%s" % (normal(), "" if i < 7000 else CATS[i % 4]))
write("late_ref.csv", "\n".join(late) + "\n")
write("late_cur.csv", "n,x\n" + "".join("%.3f,%d\n" % (normal(), i % 3) for i in range(3000)))
