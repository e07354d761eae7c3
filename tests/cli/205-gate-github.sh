# `gate` under GITHUB_ACTIONS=true: the Markdown report appended to
# $GITHUB_STEP_SUMMARY, verdict= and failed= appended to $GITHUB_OUTPUT, and a
# workflow-command annotation at the policy line of each failed (::error) and
# warned (::warning) check, escaped as the runner expects.
. "$TESTS_DIR/lib.sh"
cp "$DATA/gate/gate.yaml" "$DATA/gate/candidate.json" "$DATA/gate/champion.json" \
	"$DATA/gate/slower.yaml" .
export GITHUB_ACTIONS=true GITHUB_OUTPUT=$T/output.txt GITHUB_STEP_SUMMARY=$T/summary.md
echo "earlier=1" >output.txt
echo "# Earlier step" >summary.md

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
::error file=gate.yaml,line=10,col=5,title=gate fail%3A latency.p95_ms max_rel_regression::latency.p95_ms = 90 is worse than the baseline 82 by 9.7561%25, more than the allowed regression 5%25
END
expect_file_same /dev/stdin output.txt <<'END'
earlier=1
verdict=fail
failed=1
END
# the step summary is the --summary report, appended
run xp gate --policy gate.yaml --metrics slower.yaml --baseline champion.json --summary own.md
expect_rc 1
{ echo "# Earlier step"; cat own.md; cat own.md; } >want.md
expect_file_same want.md summary.md

# pass with a warning: ::warning, verdict=pass, failed=0
: >output.txt
run xp gate --policy gate.yaml --metrics candidate.json --baseline champion.json
expect_rc 0
expect_out_has "::warning file=gate.yaml,line=12,col=5,title=gate warn%3A f1 min_abs_change::f1 = 0.902 is better than the baseline 0.9 by 0.002, short of the required improvement 0.005"
expect_out_lacks "::error"
expect_file_same /dev/stdin output.txt <<'END'
verdict=pass
failed=0
END

# without the variables nothing is appended and nothing fails
: >output.txt
GITHUB_OUTPUT= GITHUB_STEP_SUMMARY= run xp gate --policy gate.yaml --metrics candidate.json
expect_rc 0
[ -s output.txt ] && fail "output written without GITHUB_OUTPUT"

# outside Actions: no annotations, nothing appended
GITHUB_ACTIONS= run xp gate --policy gate.yaml --metrics slower.yaml --baseline champion.json
expect_rc 1
expect_out_lacks "::error"
[ -s output.txt ] && fail "output written outside Actions"

# malformed input is annotated at its position
printf 'version: 1\nrules:\n  - metric: a\n    mn: 1\n' >bad.yaml
run xp gate --policy bad.yaml --metrics candidate.json
expect_rc 3
expect_out <<'END'
::error file=bad.yaml,line=4,col=5::unknown rule key 'mn' (did you mean 'min'?)
END

# an output file that cannot be appended to is a local error (exit 4)
mkdir outdir
GITHUB_OUTPUT=$T/outdir run xp gate --policy gate.yaml --metrics candidate.json
expect_rc 4
expect_err <<END
xpship: error: cannot append to GITHUB_OUTPUT '$T/outdir': Is a directory
END
exit 0
