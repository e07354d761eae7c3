# `gate --decision`: the JSON decision record (docs/gate.md) with
# the digests of the policy, candidate and baseline files; written on pass and
# on fail, atomically, and valid JSON.
. "$TESTS_DIR/lib.sh"
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" "$DATA/gate/champion.json" \
	"$DATA/gate/slower.yaml" .
dg() { echo "sha256:$(sha256sum "$1" | cut -d' ' -f1)"; }
export SOURCE_DATE_EPOCH=1795600800

run xp gate --policy gate.yaml --metrics slower.yaml --baseline champion.json \
	--decision decision.json
expect_rc 1
expect_out_has "verdict: fail"
expect_err_empty
expect_file_same /dev/stdin decision.json <<END
{
  "apiVersion": "xpship/v1",
  "kind": "GateDecision",
  "tool": {"name": "xpship", "version": "$(xp --version | awk '{print $NF}')"},
  "time": "2026-11-25T10:00:00Z",
  "policy": {"path": "gate.yaml", "digest": "$(dg gate.yaml)", "on_missing_baseline": "skip"},
  "candidate": {"source": "slower.yaml", "digest": "$(dg slower.yaml)"},
  "baseline": {"source": "champion.json", "digest": "$(dg champion.json)"},
  "rules": [
    {"metric": "accuracy", "check": "min", "threshold": 0.9, "candidate": 0.95, "baseline": 0.925, "outcome": "pass", "severity": "error", "direction": "higher", "line": 6, "message": "accuracy = 0.95, minimum 0.9"},
    {"metric": "latency.p95_ms", "check": "max", "threshold": 120, "candidate": 90, "baseline": 82, "outcome": "pass", "severity": "error", "direction": "lower", "line": 9, "message": "latency.p95_ms = 90, maximum 120"},
    {"metric": "latency.p95_ms", "check": "max_rel_regression", "threshold": 0.05, "candidate": 90, "baseline": 82, "outcome": "fail", "severity": "error", "direction": "lower", "line": 10, "message": "latency.p95_ms = 90 is worse than the baseline 82 by 9.7561%, more than the allowed regression 5%"},
    {"metric": "f1", "check": "min_abs_change", "threshold": 0.005, "candidate": 0.91, "baseline": 0.9, "outcome": "pass", "severity": "warning", "direction": "higher", "line": 12, "message": "f1 = 0.91 is better than the baseline 0.9 by 0.01; required improvement 0.005"}
  ],
  "summary": {"passed": 3, "failed": 1, "warned": 0, "skipped": 0},
  "verdict": "fail"
}
END

# no champion: "baseline": null; skipped checks keep the candidate value
run xp gate --policy gate.yaml --metrics candidate.json --decision decision.json
expect_rc 0
python3 - decision.json <<'PY' || fail "decision is not the documented shape"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["apiVersion"] == "xpship/v1" and d["kind"] == "GateDecision"
assert d["verdict"] == "pass" and d["baseline"] is None
assert d["summary"] == {"passed": 2, "failed": 0, "warned": 0, "skipped": 2}
assert [r["outcome"] for r in d["rules"]] == ["pass", "pass", "skip", "skip"]
assert d["rules"][3]["candidate"] == 0.902 and d["rules"][3]["baseline"] is None
assert d["policy"]["digest"].startswith("sha256:") and len(d["policy"]["digest"]) == 71
PY
ls -a | grep -q '\.tmp-' && fail "temporary file left behind"

# the record cannot be written: exit 4, and the verdict is still printed
run xp gate --policy gate.yaml --metrics candidate.json --decision no/such/decision.json
expect_rc 4
expect_out_has "verdict: pass"
expect_err <<'END'
xpship: error: cannot create 'no/such/decision.json': No such file or directory
END
exit 0
