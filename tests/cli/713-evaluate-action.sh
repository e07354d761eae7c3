# The composite action runs `evaluate` (command: evaluate, predictions:, and
# metrics: for the file it writes), its report lands in the job summary with
# the per-group table, and a gate step reads the metrics it wrote; a missing
# input and a malformed prediction are annotated.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/helpers/action.sh"
action_setup

{
	echo 'label,score,sex'
	echo '1,0.9,F'
	echo '0,0.1,M'
	echo '1,0.4,F'
	echo '0,0.6,M'
	echo '1,0.6,M'
	echo '0,0.2,F'
} >p.csv
act command=evaluate predictions=p.csv metrics=m.json args="--score score --group sex"
expect_rc 0
expect_out_has "+ xpship evaluate --predictions p.csv -o m.json --score score --group sex"
expect_out_has "  accuracy                   0.666667"
expect_out_lacks "::error"
grep -q '"equalized_odds_difference": 0.5,' m.json || fail "metrics file: $(cat m.json 2>&1)"
grep -qF '## xpship evaluate' "$T/summary.md" || fail "no evaluate report: $(cat "$T/summary.md")"
grep -qF '| `M` (small) | 3 | 0.6666666666666666 | 0.6666666666666666 | 1 | 0.5 |' "$T/summary.md" ||
	fail "no per-group table in the summary: $(cat "$T/summary.md")"

cat >policy.yaml <<'END'
version: 1
rules:
  - metric: fairness.sex.equalized_odds_difference
    direction: lower
    max: 0.2
END
: >"$T/summary.md"
act command=gate policy=policy.yaml metrics=m.json
expect_rc 1
expect_eq fail "$(action_output verdict)" verdict
grep -qF '### By group: `sex`' "$T/summary.md" || fail "gate summary lacks the groups: $(cat "$T/summary.md")"

act command=evaluate args="--score score"
expect_rc 2
expect_out_has "::error title=xpship evaluate::the input 'predictions' is required for 'evaluate'"
expect_out_lacks "+ xpship"

printf 'label,score\n1,0.9\n0,abc\n' >bad.csv
act command=evaluate predictions=bad.csv args="--score score"
expect_rc 3
expect_out_has "::error file=bad.csv,line=3,col=3::"
