"""bench/measure.py — one command's cost as the Python-driven benchmarks
(bench/evaluate, bench/drift) report it, side by side with their peers."""
import subprocess
import sys
import time


def measure(cmd):
    """wall s, CPU s (user + sys), peak RSS MiB of one run, via GNU time"""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", "-o", "time.txt"] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("%s: exit %d\n%s" % (cmd[0], p.returncode, p.stderr[-2000:]))
    u, s, m = open("time.txt").read().split()[-3:]
    return wall, float(u) + float(s), int(m) / 1024
