# `gate` on stdout: the table, the messages of every check that did not pass, the
# verdict; exit 0 on pass (warnings and skips allowed), 1 on fail.
. "$TESTS_DIR/lib.sh"
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" "$DATA/gate/champion.json" \
	"$DATA/gate/slower.yaml" .

# no champion: the baseline checks are skipped
run xp gate --policy gate.yaml --metrics candidate.json
expect_rc 0
expect_err_empty
expect_out <<'END'
policy:    gate.yaml
candidate: candidate.json
baseline:  none (no champion)

RULE            CHECK               CANDIDATE  BASELINE  THRESHOLD  OUTCOME
accuracy        min                 0.931      -         0.9        pass
latency.p95_ms  max                 84         -         120        pass
latency.p95_ms  max_rel_regression  84         -         0.05       skip
f1              min_abs_change      0.902      -         0.005      skip

skip: latency.p95_ms max_rel_regression (gate.yaml:10): latency.p95_ms has no baseline value (no champion)
skip: f1 min_abs_change (gate.yaml:12): f1 has no baseline value (no champion)
verdict: pass (2 passed, 0 failed, 0 warned, 2 skipped)
END

# against the champion: a warning does not fail the gate
run xp gate --policy gate.yaml --metrics candidate.json --baseline champion.json
expect_rc 0
expect_err_empty
expect_out <<'END'
policy:    gate.yaml
candidate: candidate.json
baseline:  champion.json

RULE            CHECK               CANDIDATE  BASELINE  THRESHOLD  OUTCOME
accuracy        min                 0.931      0.925     0.9        pass
latency.p95_ms  max                 84         82        120        pass
latency.p95_ms  max_rel_regression  84         82        0.05       pass
f1              min_abs_change      0.902      0.9       0.005      warn

warn: f1 min_abs_change (gate.yaml:12): f1 = 0.902 is better than the baseline 0.9 by 0.002, short of the required improvement 0.005
verdict: pass (3 passed, 0 failed, 1 warned, 0 skipped)
END

# a regression beyond the allowance fails; every rule is still reported
run xp gate --policy gate.yaml --metrics slower.yaml --baseline champion.json
expect_rc 1
expect_err_empty
expect_out <<'END'
policy:    gate.yaml
candidate: slower.yaml
baseline:  champion.json

RULE            CHECK               CANDIDATE  BASELINE  THRESHOLD  OUTCOME
accuracy        min                 0.95       0.925     0.9        pass
latency.p95_ms  max                 90         82        120        pass
latency.p95_ms  max_rel_regression  90         82        0.05       fail
f1              min_abs_change      0.91       0.9       0.005      pass

fail: latency.p95_ms max_rel_regression (gate.yaml:10): latency.p95_ms = 90 is worse than the baseline 82 by 9.7561%, more than the allowed regression 5%
verdict: fail (3 passed, 1 failed, 0 warned, 0 skipped)
END

# on_missing_baseline: fail turns the skipped checks into failures, the
# warning rule into a warning; a metric missing from the candidate fails
cat >strict.yaml <<'YAML'
version: 1
on_missing_baseline: fail
rules:
  - {metric: accuracy, min: 0.9, min_abs_change: 0}
  - {metric: f1, severity: warning, max_abs_regression: 0.01}
  - {metric: auc, min: 0.8}
YAML
run xp gate --policy strict.yaml --metrics candidate.json
expect_rc 1
expect_out <<'END'
policy:    strict.yaml
candidate: candidate.json
baseline:  none (no champion)

RULE      CHECK               CANDIDATE  BASELINE  THRESHOLD  OUTCOME
accuracy  min                 0.931      -         0.9        pass
accuracy  min_abs_change      0.931      -         0          fail
f1        max_abs_regression  0.902      -         0.01       warn
auc       min                 -          -         0.8        fail

fail: accuracy min_abs_change (strict.yaml:4): accuracy has no baseline value (no champion) and on_missing_baseline is fail
warn: f1 max_abs_regression (strict.yaml:5): f1 has no baseline value (no champion) and on_missing_baseline is fail
fail: auc min (strict.yaml:6): auc is missing from the candidate metrics
verdict: fail (1 passed, 2 failed, 1 warned, 0 skipped)
END
exit 0
