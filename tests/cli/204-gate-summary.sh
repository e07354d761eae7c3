# `gate --summary`: a Markdown report, verdict first, then the table and the
# messages of the checks that did not pass.
. "$TESTS_DIR/lib.sh"
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" "$DATA/gate/champion.json" \
	"$DATA/gate/slower.yaml" .

run xp gate --policy gate.yaml --metrics slower.yaml --baseline champion.json --summary summary.md
expect_rc 1
expect_file_same /dev/stdin summary.md <<'END'
## xpship gate: ❌ fail

**Verdict: fail** — 3 passed, 1 failed, 0 warned, 0 skipped

Policy `gate.yaml` · candidate `slower.yaml` · baseline `champion.json`

| Rule | Check | Candidate | Baseline | Threshold | Outcome |
| --- | --- | ---: | ---: | ---: | --- |
| `accuracy` | `min` | 0.95 | 0.925 | 0.9 | ✅ pass |
| `latency.p95_ms` | `max` | 90 | 82 | 120 | ✅ pass |
| `latency.p95_ms` | `max_rel_regression` | 90 | 82 | 0.05 | ❌ fail |
| `f1` | `min_abs_change` | 0.91 | 0.9 | 0.005 | ✅ pass |

- **fail** `latency.p95_ms` `max_rel_regression` (policy line 10): latency.p95\_ms = 90 is worse than the baseline 82 by 9.7561%, more than the allowed regression 5%
END

run xp gate --policy gate.yaml --metrics candidate.json --summary summary.md
expect_rc 0
expect_file_same /dev/stdin summary.md <<'END'
## xpship gate: ✅ pass

**Verdict: pass** — 2 passed, 0 failed, 0 warned, 2 skipped

Policy `gate.yaml` · candidate `candidate.json` · baseline none (no champion)

| Rule | Check | Candidate | Baseline | Threshold | Outcome |
| --- | --- | ---: | ---: | ---: | --- |
| `accuracy` | `min` | 0.931 | - | 0.9 | ✅ pass |
| `latency.p95_ms` | `max` | 84 | - | 120 | ✅ pass |
| `latency.p95_ms` | `max_rel_regression` | 84 | - | 0.05 | ⏭️ skip |
| `f1` | `min_abs_change` | 0.902 | - | 0.005 | ⏭️ skip |

- **skip** `latency.p95_ms` `max_rel_regression` (policy line 10): latency.p95\_ms has no baseline value (no champion)
- **skip** `f1` `min_abs_change` (policy line 12): f1 has no baseline value (no champion)
END

# a metric name with table syntax stays inside its cell
cat >pipe.yaml <<'YAML'
version: 1
rules: [{metric: "a|b", min: 1}]
YAML
printf '{"a|b": 0}' >pipe.json
run xp gate --policy pipe.yaml --metrics pipe.json --summary pipe.md
expect_rc 1
grep -qF '| `a\|b` | `min` | 0 | - | 1 | ❌ fail |' pipe.md || fail "pipe not escaped: $(cat pipe.md)"
exit 0
