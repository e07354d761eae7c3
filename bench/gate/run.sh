#!/bin/sh
# bench/gate/run.sh XPSHIP — `xpship gate` over a 50-rule policy and a
# 10,000-key metrics file (nested JSON, generated here) against a baseline of
# the same size, writing every report. Printed side by side with two trivial
# peers that only parse the same two files (python3's json.load, jq when
# installed), with the ratios, and with `xpship --version` (the cost of starting
# the process: dynamic linking of curl, OpenSSL, libarchive...).
#
# Wall and CPU time are means over RUNS runs (default 20). The gate's own work
# (CPU time of `gate` minus that of `--version`) must stay under LIMIT_MS
# (default 100 ms): milliseconds, not seconds. CPU time is asserted, not wall
# time, so a machine busy with other jobs does not fail the benchmark.
set -u
bin=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/xpship-bench-gate.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

python3 - "$bin" "${RUNS:-20}" "${LIMIT_MS:-100}" <<'PY'
import json, os, random, resource, shutil, subprocess, sys, time

xp, runs, limit_ms = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
random.seed(42)

def metrics(shift):
    return {"group%d" % g: {"m%d" % k: round(random.uniform(0.5, 1.0) + shift, 6)
                            for k in range(100)} for g in range(100)}

json.dump(metrics(0.0), open("candidate.json", "w"), indent=1)
json.dump(metrics(-0.001), open("champion.json", "w"), indent=1)
checks = ["min: 0.1", "max: 5", "max_abs_regression: 1", "max_rel_regression: 0.9",
          "min_abs_change: -1", "min_rel_change: -0.9"]
with open("gate.yaml", "w") as f:
    f.write("version: 1\nrules:\n")
    for i in range(50):
        f.write("  - metric: group%d.m%d\n    direction: %s\n    %s\n    %s\n" % (
            2 * i, i, "lower" if i % 3 == 0 else "higher", checks[i % 6], checks[(i + 1) % 6]))

gate = [xp, "gate", "--policy", "gate.yaml", "--metrics", "candidate.json",
        "--baseline", "champion.json", "--decision", "d.json", "--junit", "j.xml",
        "--summary", "s.md"]
out = subprocess.run(gate, capture_output=True, text=True)
if out.returncode != 0 or "verdict: pass (100 passed" not in out.stdout:
    sys.exit("gate: unexpected result (exit %d)\n%s%s" % (out.returncode, out.stdout[-300:], out.stderr))

def measure(cmd):
    """mean wall and CPU (user+sys) milliseconds per run"""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    for _ in range(runs):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = (time.perf_counter() - t0) * 1000 / runs
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000 / runs
    return wall, cpu

size = os.path.getsize("candidate.json")
print("input: 50 rules (100 checks); candidate and baseline of 10000 keys each "
      "(%d bytes); mean of %d runs" % (size, runs))
rows = [("xpship gate (2 x 10000 keys, 4 outputs)", measure(gate)),
        ("xpship --version (process start)", measure([xp, "--version"])),
        ("python3 json.load of both files",
         measure(["python3", "-c", "import json,sys; [json.load(open(f)) for f in sys.argv[1:]]",
                  "candidate.json", "champion.json"]))]
if shutil.which("jq"):
    rows.append(("jq . of both files", measure(["jq", ".", "candidate.json", "champion.json"])))
gate_wall, gate_cpu = rows[0][1]
for name, (wall, cpu) in rows:
    ratio = "" if name.startswith("xpship") else "   gate/peer: %.2f wall, %.2f cpu" % (
        gate_wall / wall, gate_cpu / cpu)
    print("  %-42s %8.2f ms wall %8.2f ms cpu%s" % (name, wall, cpu, ratio))
work = gate_cpu - rows[1][1][1]
print("gate's own work (cpu, gate - process start): %.2f ms (limit %.0f ms)" % (work, limit_ms))
if work >= limit_ms:
    sys.exit("FAIL: the gate took %.2f ms of cpu beyond process start" % work)
print("ok")
PY
